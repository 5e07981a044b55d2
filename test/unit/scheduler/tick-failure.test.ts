import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '#lib/errors';
import { logger } from '#lib/observability';
import { runTick } from '#lib/scheduler/tick';
import { SchedulerHarness } from '#test/support/scheduler-harness';

describe('a tick whose own listing fails', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('logs the failure with the tick time and rethrows it, so the invocation fails visibly', async () => {
    const h = new SchedulerHarness({ start: '2025-03-01T10:00:00.000Z' });
    const failure = new StoreError('Query on open-index of runs failed: throttled');
    const runs = {
      ...h.deps.runs,
      listOpen: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }) }),
    };
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const tick = runTick({ ...h.deps, runs }, { at: new Date('2025-03-01T10:00:00.000Z'), tickId: 't' });

    await expect(tick).rejects.toBe(failure);
    expect(logged).toHaveBeenCalledWith(
      'tick failed before finishing; the next tick takes up the same work',
      expect.objectContaining({ at: '2025-03-01T10:00:00.000Z', error: failure }),
    );
  });
});
