import { ASSUME_ROLE_FAILED } from '#lib/errors';
import { logger } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import { findOwnSnapshot } from '#lib/runs/own-snapshot';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { ended, retrying, withOwnSnapshot } from '#lib/runs/transitions';
import type { RunError, RunRecord } from '#lib/runs/types';
import { nextAfterFault, type RunFault } from './after-fault';
import type { SchedulerDeps } from './deps';

/**
 * Ends a run that gets no further attempt: FAILED with `reason`, unless one of its Creates took effect after
 * all (a dropped connection or a 5xx can hide a Create that went through), so a run is never recorded FAILED
 * while its snapshot exists. When that cannot be checked, the run stays a retry due at the end of its start
 * window (or now, if that has passed), where the next tick looks again. After AssumeRoleFailed there is
 * nothing to look up: that Create never reached ElastiCache, and the lookup would fail the same way (a
 * denied account would keep the run open for ever). Returns the record; writes nothing.
 */
export async function failUnlessCreated(
  deps: SchedulerDeps,
  run: RunRecord,
  reason: RunError,
): Promise<RunRecord> {
  const now = deps.clock();
  if (run.attempts > 0 && reason.code !== ASSUME_ROLE_FAILED) {
    try {
      const gateway = deps.placements.snapshots(placementOf(run));
      const own = await findOwnSnapshot(gateway, run, deps.settings.deploymentName);
      if (own.found === 'ours') return withOwnSnapshot(run, own.snapshot, now, deps.settings.pollIntervalMs);
    } catch (error) {
      logger.warn('could not check whether the run’s snapshot was made; looking again before failing it', {
        ...runFields(run),
        error,
      });
      return retrying(run, reason, new Date(Math.max(now.getTime(), Date.parse(run.windowClosesAt))), now);
    }
  }
  return ended(run, 'FAILED', now, deps.settings.runRetentionDays, reason);
}

/**
 * Writes the run's next record after `fault` (nextAfterFault) over `read`, the record as this tick read it.
 * Before the run ends FAILED it is looked for (failUnlessCreated) when its window closed, or when an earlier
 * Create of this run was made (attempts > 1: it may have taken effect unseen). Returns the record as decided.
 */
export async function settleFault(
  deps: SchedulerDeps,
  run: RunRecord,
  read: RunRecord,
  fault: RunFault,
): Promise<RunRecord> {
  const after = nextAfterFault(run, fault, deps);
  let next: RunRecord;
  if (after.kind === 'window-closed') next = await failUnlessCreated(deps, run, after.reason);
  else if (after.kind === 'fail' && run.attempts > 1 && after.next.lastError) {
    next = await failUnlessCreated(deps, run, after.next.lastError);
  } else next = after.next;
  await saveRun(deps, next, read);
  return next;
}
