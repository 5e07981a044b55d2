import type { Backoff } from './retry/retry';

/** How a call that held a permit ended: `throttled` lowers the rate, any other answer counts as served. */
export type CallOutcome = 'ok' | 'throttled' | 'failed';

/** One call's right to start; release it exactly once, with how the call ended. */
export interface Permit {
  release(outcome: CallOutcome): void;
}

export interface AdaptiveLimitOptions {
  /** Most calls in flight at once, throttled or not. */
  readonly maxInFlight: number;
  /** On a throttled answer the rate becomes this share of the rate served over the last window; default 0.9. */
  readonly decreaseFactor?: number;
  /** While served, the rate grows per second by this share of the last cut rate (at least 1); default 0.05. */
  readonly increaseShare?: number;
  /**
   * Within half a cut of the API's limit as last seen (what it served when it last throttled, or the rate
   * then set if that was more), the rate grows at only this share of its pace; default 0.25. The rate then
   * stays just under the API's limit for seconds rather than overshooting it every other second, and still
   * probes for a raised limit.
   */
  readonly probeShare?: number;
  /** Lowest rate, calls per second; default 1. */
  readonly minRate?: number;
  /** Window over which the served rate is measured; default 1000 ms (the usual API rate window). */
  readonly windowMs?: number;
  /** No call starts for this long after a throttled answer, doubled per further throttle; default 50–1000 ms. */
  readonly pause?: Backoff;
  /**
   * Once this long has passed without a throttled answer, the rate limit is dropped altogether (calls are
   * limited by `maxInFlight` only) until the API throttles again; default 30 s. Without it, one throttle
   * in a quiet moment would leave a warm process at a very low rate for good.
   */
  readonly forgetAfterMs?: number;
  /** Monotonic milliseconds; default `performance.now`. */
  readonly now?: () => number;
}

/**
 * A limit on calls to a rate-limited API that backs off on throttling instead of hammering: at most
 * `maxInFlight` calls at once and, once the API has throttled, calls spaced evenly at an adaptive rate.
 * A throttled answer sets the rate just under what the API served over the last window (so repeated
 * throttles do not compound) and pauses new calls briefly, the pause doubling while throttles keep
 * coming; every served call then raises the rate additively (AIMD), so the limit keeps probing upward:
 * quickly up to near what the API served when it throttled, slowly from there on.
 * A rate, not an in-flight count, is what is adapted: an API's limit is a rate, and an in-flight count
 * can only reach it in steps of one round trip's worth of calls.
 */
export class AdaptiveLimit {
  private rate: number | undefined;
  private step = 0;
  /** From this rate on, the rate grows at `probeShare` of its pace: near the API's last known limit. */
  private probeFrom = Number.POSITIVE_INFINITY;
  private raisedAt = 0;
  private nextStartAt = 0;
  private pausedUntil = 0;
  private throttleRun = 0;
  private throttledAt = 0;
  private active = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly served: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly now: () => number;

  constructor(private readonly options: AdaptiveLimitOptions) {
    if (!(options.maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
    this.now = options.now ?? (() => performance.now());
  }

  /** Calls per second allowed now; undefined while the API has not throttled (no rate limit). */
  get callsPerSecond(): number | undefined {
    return this.rate;
  }

  /** Calls holding a permit now. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits, first come first served, until a call may start. */
  async acquire(): Promise<Permit> {
    await new Promise<void>((start) => {
      this.waiting.push(start);
      this.pump();
    });
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.settle(outcome);
      },
    };
  }

  /** Runs `call` under a permit; a rejection counts as throttled when `isThrottled` says so. */
  async run<T>(call: () => Promise<T>, isThrottled: (error: unknown) => boolean): Promise<T> {
    const permit = await this.acquire();
    try {
      const result = await call();
      permit.release('ok');
      return result;
    } catch (error) {
      permit.release(isThrottled(error) ? 'throttled' : 'failed');
      throw error;
    }
  }

  private settle(outcome: CallOutcome): void {
    this.active -= 1;
    const now = this.now();
    const windowMs = this.options.windowMs ?? 1000;
    while ((this.served[0] ?? now) <= now - windowMs) this.served.shift();
    if (outcome === 'throttled') {
      this.throttleRun += 1;
      const pause = this.options.pause ?? { baseMs: 50, maxMs: 1000 };
      this.pausedUntil = now + Math.min(pause.maxMs, pause.baseMs * 2 ** (this.throttleRun - 1));
      const servedRate = (this.served.length * 1000) / windowMs;
      const decrease = this.options.decreaseFactor ?? 0.9;
      // The API's limit is at least what it served, and was at most the rate then set (if that was more: a
      // client too slow to keep to its rate throttled by a burst): slow down only near the higher one.
      const limit = Math.max(servedRate, this.rate ?? 0);
      const cutRate = servedRate * decrease;
      this.rate = Math.max(this.options.minRate ?? 1, cutRate);
      this.step = Math.max(1, this.rate * (this.options.increaseShare ?? 0.05));
      // Where minRate won, too little was served to tell the API's limit: nothing to approach slowly.
      this.probeFrom = cutRate < this.rate ? Number.POSITIVE_INFINITY : (limit * (1 + decrease)) / 2;
      this.raisedAt = now;
      this.throttledAt = now;
    } else {
      this.throttleRun = 0;
      this.served.push(now);
      if (this.rate !== undefined) {
        const pace = this.rate < this.probeFrom ? 1 : (this.options.probeShare ?? 0.25);
        this.rate += (pace * this.step * Math.min(windowMs, now - this.raisedAt)) / 1000;
        this.raisedAt = now;
      }
    }
    this.pump();
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.active < this.options.maxInFlight) {
      const now = this.now();
      if (this.rate !== undefined && now - this.throttledAt >= (this.options.forgetAfterMs ?? 30_000)) {
        this.rate = undefined;
        this.nextStartAt = now;
      }
      const startAt = Math.max(this.pausedUntil, this.nextStartAt);
      if (startAt > now) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, startAt - now);
        return;
      }
      this.active += 1;
      // Late timers are caught up on, by a burst of at most a tenth of a window's worth of calls.
      const slack = (this.options.windowMs ?? 1000) / 10;
      this.nextStartAt =
        this.rate === undefined ? now : Math.max(this.nextStartAt, now - slack) + 1000 / this.rate;
      this.waiting.shift()?.();
    }
  }
}
