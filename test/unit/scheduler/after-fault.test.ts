import { describe, expect, it } from 'vitest';
import type { FaultClass } from '#lib/errors';
import { counted } from '#lib/runs/transitions';
import { nextAfterFault } from '#lib/scheduler/after-fault';
import { policyItem, policyOf } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
/** A run of an hourly policy (start window 30 minutes: until 10:30) with one Create made. */
const RUN = counted(claimedRunOf(policyOf(policyItem('orders-hourly')), SLOT, 'tick-a', SLOT));

function at(time: string, random = 0.5) {
  return { clock: () => new Date(time), random: () => random, settings: DEPLOYED_SETTINGS };
}

function fault(faultClass: FaultClass, code = 'SomeFault', message = `${code} (scripted)`) {
  return { code, message, faultClass };
}

describe('nextAfterFault', () => {
  it.each<FaultClass>(['transient', 'busy', 'quota'])(
    'makes a %s fault a durable retry at jittered backoff for the next attempt, with the fault as its error',
    (faultClass) => {
      const after = nextAfterFault(RUN, fault(faultClass, 'Throttling'), at(SLOT));

      expect(after).toEqual({
        kind: 'retry',
        next: expect.objectContaining({
          status: 'RETRYING',
          attempts: 1,
          retryAt: '2025-03-01T10:02:00.000Z',
          nextCheckAt: '2025-03-01T10:02:00.000Z',
          lastError: { code: 'Throttling', message: 'Throttling (scripted)' },
        }),
      });
    },
  );

  it('never puts a durable retry sooner than one poll interval away', () => {
    const after = nextAfterFault(RUN, fault('busy'), at(SLOT, 0));

    expect(after.kind === 'retry' && after.next.retryAt).toBe('2025-03-01T10:01:00.000Z');
  });

  it('still retries when the retry falls exactly at the end of the start window', () => {
    const after = nextAfterFault(RUN, fault('transient'), at('2025-03-01T10:28:00.000Z'));

    expect(after.kind === 'retry' && after.next.retryAt).toBe('2025-03-01T10:30:00.000Z');
  });

  it('says the window closed, with the fault as the reason, when the retry would come after it', () => {
    const after = nextAfterFault(
      RUN,
      fault('quota', 'ServerlessCacheSnapshotQuotaExceededFault'),
      at('2025-03-01T10:29:00.000Z'),
    );

    expect(after).toEqual({
      kind: 'window-closed',
      reason: {
        code: 'ServerlessCacheSnapshotQuotaExceededFault',
        message: 'ServerlessCacheSnapshotQuotaExceededFault (scripted)',
      },
    });
  });

  it.each<FaultClass>(['terminal', 'not-found', 'already-exists'])(
    'ends the run FAILED with the code of a %s fault, kept for the run retention',
    (faultClass) => {
      const after = nextAfterFault(RUN, fault(faultClass, 'InvalidParameterValue'), at(SLOT));

      expect(after).toEqual({
        kind: 'fail',
        next: expect.objectContaining({
          status: 'FAILED',
          lastError: { code: 'InvalidParameterValue', message: 'InvalidParameterValue (scripted)' },
          expiresAt: Date.parse('2025-05-30T10:00:00.000Z') / 1000,
        }),
      });
    },
  );

  it('keeps at most 1,000 characters of the fault message', () => {
    const after = nextAfterFault(RUN, fault('terminal', 'InvalidParameterValue', 'x'.repeat(5000)), at(SLOT));

    expect(after.kind === 'fail' && after.next.lastError?.message).toHaveLength(1000);
  });
});
