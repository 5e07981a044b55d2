import { describe, expect, it } from 'vitest';
import { type Backoff, backoffDelay, type RetryOptions, retryWithBackoff } from '#lib/retry/retry';
import { FakeTime } from '#test/support/fake-time';

const BACKOFF: Backoff = { baseMs: 100, maxMs: 1_000 };

class Retryable extends Error {}

function failingThen<T>(failures: readonly Error[], value: T) {
  const calls: number[] = [];
  const attempt = async (call: number): Promise<T> => {
    calls.push(call);
    const failure = failures[call - 1];
    if (failure) throw failure;
    return value;
  };
  return { attempt, calls };
}

function options(time: FakeTime, overrides: Partial<RetryOptions> = {}): RetryOptions {
  return {
    maxAttempts: 3,
    backoff: BACKOFF,
    sleep: time.sleep,
    random: () => 0.5,
    remainingMs: () => 60_000,
    marginMs: 5_000,
    isRetryable: (error) => error instanceof Retryable,
    ...overrides,
  };
}

describe('backoffDelay', () => {
  it('stays within [0, base × 2^(attempt-1)] with full jitter', () => {
    expect(backoffDelay(1, BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(1, BACKOFF, () => 0.999_999)).toBe(99);
    expect(backoffDelay(3, BACKOFF, () => 0.999_999)).toBe(399);
    expect(backoffDelay(3, BACKOFF, () => 0.5)).toBe(200);
  });

  it('never exceeds maxMs however many attempts were made', () => {
    expect(backoffDelay(5, BACKOFF, () => 0.999_999)).toBe(999);
    expect(backoffDelay(60, BACKOFF, () => 0.999_999)).toBe(999);
  });

  it('uses the base ceiling for an attempt below 1', () => {
    expect(backoffDelay(0, BACKOFF, () => 0.999_999)).toBe(99);
  });
});

describe('retryWithBackoff', () => {
  it('retries retryable errors until the call succeeds, sleeping the jittered backoff between calls', async () => {
    const time = new FakeTime('2025-03-01T10:00:00Z');
    const { attempt, calls } = failingThen([new Retryable('1'), new Retryable('2')], 'done');

    const result = await retryWithBackoff(attempt, options(time));

    expect(result).toBe('done');
    expect(calls).toEqual([1, 2, 3]);
    expect(time.sleeps).toEqual([50, 100]);
  });

  it('rethrows a non-retryable error at once without sleeping', async () => {
    const time = new FakeTime('2025-03-01T10:00:00Z');
    const fatal = new Error('bad parameter');
    const { attempt, calls } = failingThen([fatal], 'never');

    await expect(retryWithBackoff(attempt, options(time))).rejects.toBe(fatal);

    expect(calls).toEqual([1]);
    expect(time.sleeps).toEqual([]);
  });

  it('stops at maxAttempts and rethrows the last error', async () => {
    const time = new FakeTime('2025-03-01T10:00:00Z');
    const last = new Retryable('third');
    const { attempt, calls } = failingThen([new Retryable('first'), new Retryable('second'), last], 'never');

    await expect(retryWithBackoff(attempt, options(time))).rejects.toBe(last);

    expect(calls).toEqual([1, 2, 3]);
    expect(time.sleeps).toHaveLength(2);
  });

  it('rethrows instead of sleeping when the backoff would end inside the deadline margin', async () => {
    const time = new FakeTime('2025-03-01T10:00:00Z');
    const first = new Retryable('throttled');
    const { attempt, calls } = failingThen([first], 'never');
    const remainingMs = () => 5_049;

    await expect(retryWithBackoff(attempt, options(time, { remainingMs }))).rejects.toBe(first);

    expect(calls).toEqual([1]);
    expect(time.sleeps).toEqual([]);
  });

  it('sleeps when the backoff ends exactly at the deadline margin', async () => {
    const time = new FakeTime('2025-03-01T10:00:00Z');
    const { attempt, calls } = failingThen([new Retryable('throttled')], 'done');
    const remainingMs = () => 5_050;

    await expect(retryWithBackoff(attempt, options(time, { remainingMs }))).resolves.toBe('done');

    expect(calls).toEqual([1, 2]);
    expect(time.sleeps).toEqual([50]);
  });

  it('tells onRetry the error, the retry number and the delay before each retry', async () => {
    const time = new FakeTime('2025-03-01T10:00:00Z');
    const first = new Retryable('1');
    const second = new Retryable('2');
    const { attempt } = failingThen([first, second], 'done');
    const seen: unknown[] = [];

    await retryWithBackoff(
      attempt,
      options(time, { onRetry: (error, retry, delayMs) => seen.push([error, retry, delayMs]) }),
    );

    expect(seen).toEqual([
      [first, 1, 50],
      [second, 2, 100],
    ]);
  });
});
