import { addMs, type Sleep } from '#lib/clock';

/** Exponential backoff with full jitter: a random delay in [0, min(maxMs, baseMs × 2^(attempt-1))]. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * When durable retry number `retry` (1 = the first) is due: jittered backoff from now, never sooner than
 * one poll interval (a tick runs once a minute; an earlier retryAt would only wait for it anyway). Runs,
 * exports, prunes and restore tests all retry on this.
 */
export function durableRetryAt(
  deps: {
    readonly clock: () => Date;
    readonly random: () => number;
    readonly settings: { readonly pollIntervalMs: number; readonly durableBackoff: Backoff };
  },
  retry: number,
): Date {
  const { pollIntervalMs, durableBackoff } = deps.settings;
  return addMs(deps.clock(), Math.max(pollIntervalMs, backoffDelay(retry, durableBackoff, deps.random)));
}

/** Delay before retry number `attempt` (1 = the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryOptions {
  /** Calls in all, the first included. */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Milliseconds left before the invocation's deadline. */
  readonly remainingMs: () => number;
  /** Never sleep into this last stretch before the deadline. */
  readonly marginMs: number;
  readonly isRetryable: (error: unknown) => boolean;
  readonly onRetry?: (error: unknown, retry: number, delayMs: number) => void;
}

/**
 * Calls `attempt` until it succeeds, the error is not retryable, the attempts are used up, or the next
 * backoff would end too close to the deadline; then rethrows the last error, so the caller can turn it
 * into a durable retry. Time is injected (`sleep`, `remainingMs`): tests never wait.
 */
export async function retryWithBackoff<T>(
  attempt: (call: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let call = 1; ; call += 1) {
    try {
      return await attempt(call);
    } catch (error) {
      if (!options.isRetryable(error) || call >= options.maxAttempts) throw error;
      const delayMs = backoffDelay(call, options.backoff, options.random);
      if (options.remainingMs() - delayMs < options.marginMs) throw error;
      options.onRetry?.(error, call, delayMs);
      await options.sleep(delayMs);
    }
  }
}
