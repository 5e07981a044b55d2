import { toIso } from '#lib/clock';
import type { FaultClass } from '#lib/errors';
import type { LifecycleDeps } from '#lib/lifecycle/deps';
import { durableRetryAt } from '#lib/retry/retry';
import { ended, retrying } from '#lib/runs/transitions';
import type { RunError, RunRecord } from '#lib/runs/types';

/** A fault as a run's next step depends on it: the code and message it records, and its class. */
export interface RunFault {
  readonly code: string;
  readonly message: string;
  readonly faultClass: FaultClass;
}

/** What comes after a fault, decided without any call. */
export type AfterFault =
  /** Another attempt on a later tick: `next` is RETRYING at the durable backoff. */
  | { readonly kind: 'retry'; readonly next: RunRecord }
  /** No further attempt, the fault is final: `next` is FAILED with the fault's code. */
  | { readonly kind: 'fail'; readonly next: RunRecord }
  /**
   * The fault is worth another attempt, but the start window closes before it would be due: the run ends
   * FAILED with `reason`, unless one of its Creates took effect unseen (the caller looks: failUnlessCreated).
   */
  | { readonly kind: 'window-closed'; readonly reason: RunError };

/** Faults a later attempt may get past (docs/architecture.md, fault classes). */
const RETRYABLE: ReadonlySet<FaultClass> = new Set(['transient', 'busy', 'quota']);

/**
 * The run's next record after its Create failed with `fault`, once everything the tick does in place is
 * done (in-tick retries of transient faults, the own-snapshot check of a taken name, quota relief):
 * transient, busy and quota faults become a durable retry (durableRetryAt, retry number attempts + 1)
 * while it falls within the start window; every other class ends the run FAILED with the code. Pure:
 * time and jitter come from `timing`, and nothing is written.
 */
export function nextAfterFault(
  run: RunRecord,
  fault: RunFault,
  timing: Pick<LifecycleDeps, 'clock' | 'random' | 'settings'>,
): AfterFault {
  const now = timing.clock();
  const reason = { code: fault.code, message: fault.message.slice(0, 1000) };
  if (!RETRYABLE.has(fault.faultClass)) {
    return { kind: 'fail', next: ended(run, 'FAILED', now, timing.settings.runRetentionDays, reason) };
  }
  const retryAt = durableRetryAt(timing, run.attempts + 1);
  if (toIso(retryAt) > run.windowClosesAt) return { kind: 'window-closed', reason };
  return { kind: 'retry', next: retrying(run, reason, retryAt, now) };
}
