import { setTimeout as wait } from 'node:timers/promises';
import type { Sleep } from '#lib/clock';
import { groupBy } from '#lib/collections';
import { EventBusError } from '#lib/errors';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { type Backoff, backoffDelay } from '#lib/retry/retry';
import {
  type BusEntry,
  EVENT_SOURCE,
  type EventBus,
  entrySize,
  NO_RESULT,
  PUT_LIMITS,
  type StateEvent,
} from './event-bus';

/** Waits `ms`, or less when `signal` aborts (then it may reject); the bound of a flush. */
export type Timeout = (ms: number, signal: AbortSignal) => Promise<unknown>;

export interface PublisherOptions {
  readonly bus: EventBus;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly timeout: Timeout;
  /** PutEvents calls per entry in all, the first included. */
  readonly maxAttempts?: number;
  readonly backoff?: Backoff;
  /** PutEvents calls in flight at once. */
  readonly maxInFlight?: number;
  /** The longest a flush waits for the events to go out. */
  readonly maxWaitMs?: number;
  /** Time left in the invocation that a flush never waits into. */
  readonly reserveMs?: number;
}

export const PUBLISHER_DEFAULTS = {
  maxAttempts: 3,
  backoff: { baseMs: 100, maxMs: 1_000 },
  maxInFlight: 4,
  maxWaitMs: 2_000,
  reserveMs: 1_000,
} as const;

/** What a flush saw go out since the last one. */
export interface FlushReport {
  readonly published: number;
  readonly notPublished: number;
}

interface Pending {
  readonly entry: BusEntry;
  readonly detail: StateEvent['detail'];
}

interface Refused {
  readonly pending: Pending;
  readonly code: string;
  readonly message: string;
  readonly retry: boolean;
}

/** Settles when `signal` aborts (never rejects). */
function abortedPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The code of events a flush stopped waiting for. */
export const PUBLISH_TIMEOUT = 'PublishTimeout';

/**
 * Publishes state events in batches (docs/architecture.md, "Events"). `publish` only queues: a batch goes
 * out, in the background, as soon as it holds 10 entries or the next would pass 256 KB, at most
 * `maxInFlight` calls at once; `flush` sends the rest and waits for all of it, never longer than
 * `maxWaitMs` nor into the invocation's last `reserveMs`. A refused entry or failed call is put again
 * (jittered backoff) while it is transient and attempts are left; what is still not out then (or when the
 * wait ends: the calls are abandoned) is logged with its details and counted (`EventsNotPublished`).
 * Nothing here ever throws to the caller: publishing never fails a run. An event is put twice only on retry.
 */
export class EventPublisher {
  private batch: Pending[] = [];
  private batchBytes = 0;
  private readonly queue: Pending[][] = [];
  private readonly sending = new Set<Promise<void>>();
  private abandon = new AbortController();
  private published = 0;
  private stopMessage = 'the flush stopped waiting';
  private notPublished = 0;
  private readonly settings: Required<Omit<PublisherOptions, 'bus' | 'sleep' | 'random' | 'timeout'>>;

  constructor(private readonly options: PublisherOptions) {
    this.settings = { ...PUBLISHER_DEFAULTS, ...options };
  }

  /** Queues `event`; a full batch starts going out at once. Never throws (an event it cannot take is counted). */
  publish(event: StateEvent): void {
    let entry: BusEntry;
    try {
      entry = {
        source: EVENT_SOURCE,
        detailType: event.detailType,
        detail: JSON.stringify(event.detail),
        time: event.time,
      };
    } catch (error) {
      const unsent = { source: EVENT_SOURCE, detailType: event.detailType, detail: '', time: event.time };
      this.lose([{ entry: unsent, detail: {} }], 'MalformedDetail', String(error));
      return;
    }
    const pending = { entry, detail: event.detail };
    const size = entrySize(entry);
    if (size > PUT_LIMITS.bytes) {
      this.lose([pending], 'EntryTooLarge', `${size} bytes; PutEvents takes at most ${PUT_LIMITS.bytes}`);
      return;
    }
    if (this.batchBytes + size > PUT_LIMITS.bytes) this.seal();
    this.batch.push(pending);
    this.batchBytes += size;
    if (this.batch.length >= PUT_LIMITS.entries) this.seal();
  }

  /**
   * Sends what is queued and waits until every event is out or refused, at most `maxWaitMs` and never
   * into the last `reserveMs` of `remainingMs`; then abandons what is still in flight (counted).
   */
  async flush(remainingMs: number): Promise<FlushReport> {
    this.seal();
    if (this.sending.size > 0) {
      const waitMs = Math.max(0, Math.min(this.settings.maxWaitMs, remainingMs - this.settings.reserveMs));
      const stopTimer = new AbortController();
      const timedOut = this.options.timeout(waitMs, stopTimer.signal).then(
        () => true,
        () => false,
      );
      const outOfTime = await Promise.race([this.drained().then(() => false), timedOut]);
      stopTimer.abort();
      if (outOfTime) await this.giveUp(waitMs);
    }
    const report = { published: this.published, notPublished: this.notPublished };
    this.published = 0;
    this.notPublished = 0;
    return report;
  }

  private seal(): void {
    if (this.batch.length === 0) return;
    this.queue.push(this.batch);
    this.batch = [];
    this.batchBytes = 0;
    this.pump();
  }

  private pump(): void {
    while (this.sending.size < this.settings.maxInFlight) {
      const batch = this.queue.shift();
      if (!batch) return;
      const delivered = this.deliver(batch).catch((error: unknown) => {
        this.lose(batch, 'InternalError', `publishing failed: ${String(error)}`);
      });
      const sending: Promise<void> = delivered.finally(() => {
        this.sending.delete(sending);
        this.pump();
      });
      this.sending.add(sending);
    }
  }

  private async drained(): Promise<void> {
    while (this.sending.size > 0) await Promise.race(this.sending);
  }

  /** Ends the flush's wait: what waits for a call is lost, calls in flight and retry waits are abandoned. */
  private async giveUp(waitMs: number): Promise<void> {
    this.stopMessage = `not published within the ${waitMs} ms a flush waits`;
    for (const batch of this.queue.splice(0)) this.lose(batch, PUBLISH_TIMEOUT, this.stopMessage);
    this.abandon.abort();
    await this.drained();
    this.abandon = new AbortController();
  }

  /** Puts `batch`, then again what was refused as transient, until attempts run out or the flush gives up. */
  private async deliver(batch: readonly Pending[]): Promise<void> {
    const signal = this.abandon.signal;
    let left = batch;
    for (let attempt = 1; left.length > 0; attempt += 1) {
      const refused = await this.put(left, signal);
      this.published += left.length - refused.length;
      const retry = refused.filter((item) => item.retry);
      this.loseRefused(attempt < this.settings.maxAttempts ? refused.filter((item) => !item.retry) : refused);
      if (retry.length === 0 || attempt >= this.settings.maxAttempts) return;
      const delayMs = backoffDelay(attempt, this.settings.backoff, this.options.random);
      await Promise.race([this.options.sleep(delayMs), abortedPromise(signal)]);
      left = retry.map((item) => item.pending);
    }
  }

  /**
   * One put of `batch`: the entries refused, all of them when the call failed. Once the flush has given up
   * (`signal`), nothing is put and every entry is refused for good.
   */
  private async put(batch: readonly Pending[], signal: AbortSignal): Promise<Refused[]> {
    const refuseAll = (code: string, message: string, retry: boolean) =>
      batch.map((pending) => ({ pending, code, message, retry }));
    if (signal.aborted) return refuseAll(PUBLISH_TIMEOUT, this.stopMessage, false);
    try {
      const results = await this.options.bus.put(
        batch.map((pending) => pending.entry),
        signal,
      );
      return batch.flatMap((pending, i) => {
        const result = results[i] ?? NO_RESULT;
        if (result.ok) return [];
        const { code, message, faultClass } = result;
        return [{ pending, code, message, retry: faultClass === 'transient' }];
      });
    } catch (error) {
      if (signal.aborted) return refuseAll(PUBLISH_TIMEOUT, this.stopMessage, false);
      const fault = error instanceof EventBusError ? error : undefined;
      return refuseAll(
        fault?.code ?? 'InternalError',
        fault?.message ?? String(error),
        fault?.faultClass === 'transient',
      );
    }
  }

  private loseRefused(refused: readonly Refused[]): void {
    const byCode = groupBy(refused, (item) => item.code);
    for (const [code, items] of byCode) {
      this.lose(
        items.map((item) => item.pending),
        code,
        items[0]?.message ?? code,
      );
    }
  }

  private lose(pendings: readonly Pending[], code: string, message: string): void {
    if (pendings.length === 0) return;
    this.notPublished += pendings.length;
    recordMetric(METRIC.EventsNotPublished, pendings.length);
    logger.error('events not published', {
      count: pendings.length,
      errorCode: code,
      errorMessage: message,
      events: pendings.map((pending) => ({ detailType: pending.entry.detailType, ...pending.detail })),
    });
  }
}

/** The real bound of a flush: a timer that `signal` cancels (so a finished flush leaves no timer behind). */
export const realTimeout: Timeout = (ms, signal) => wait(ms, undefined, { signal });
