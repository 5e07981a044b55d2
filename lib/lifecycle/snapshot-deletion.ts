import { runBounded } from '#lib/concurrency';
import { SnapshotServiceError } from '#lib/errors';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import { durableRetryAt } from '#lib/retry/retry';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { ended, gone, pruning } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { hasTimeLeft, type LifecycleDeps } from './deps';

/** Whether an error is the service saying the snapshot does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof SnapshotServiceError && error.faultClass === 'not-found';
}

/** The run ended GONE because retention found its snapshot already deleted (`what` says by which call). */
export function goneBeforeRetention(deps: LifecycleDeps, run: RunRecord, what: string): RunRecord {
  const message = `snapshot ${run.snapshotName} was deleted outside the orchestrator (${what})`;
  return gone(run, 'retention', message, deps.clock(), deps.settings.runRetentionDays);
}

/**
 * Deletes the snapshot of a PRUNING run: PRUNED once it is gone. A first attempt answered not-found means
 * someone deleted the snapshot before retention did: GONE (no prune failure). After a failed attempt (the
 * run carries its error), not-found may be that attempt having taken effect unseen: PRUNED. On a fault the
 * run stays PRUNING with the error and a later `nextCheckAt`, so a later tick tries again. Never forgotten.
 */
export async function deleteSnapshotOfRun(deps: LifecycleDeps, run: RunRecord): Promise<boolean> {
  try {
    await deps.placements.snapshots(placementOf(run)).deleteSnapshot(run.snapshotName);
  } catch (error) {
    if (isNotFound(error)) {
      if (run.lastError) {
        return saveRun(deps, ended(run, 'PRUNED', deps.clock(), deps.settings.runRetentionDays), run);
      }
      await saveRun(deps, goneBeforeRetention(deps, run, 'DeleteServerlessCacheSnapshot: not found'), run);
      return false;
    }
    const fault = error instanceof SnapshotServiceError ? error : undefined;
    const now = deps.clock();
    const retryAt = durableRetryAt(deps, 2);
    const code = fault?.code ?? OUTCOME_CODE.InternalError;
    const message = error instanceof Error ? error.message : String(error);
    recordMetric(METRIC.PruneFailures);
    logger.warn('snapshot deletion failed; retrying on a later tick', {
      ...runFields(run),
      errorCode: code,
      error,
    });
    await saveRun(deps, pruning(run, now, retryAt, { code, message }), run);
    return false;
  }
  return saveRun(deps, ended(run, 'PRUNED', deps.clock(), deps.settings.runRetentionDays), run);
}

/**
 * Retries the deletions that earlier ticks could not finish (PRUNING runs that are due), several at a time,
 * none started within the deadline margin (those stay due for the next tick).
 */
export async function retryPrunes(deps: LifecycleDeps, runs: readonly RunRecord[]): Promise<number> {
  let pruned = 0;
  await runBounded(
    runs,
    deps.settings.concurrency,
    async (run) => {
      try {
        if (await deleteSnapshotOfRun(deps, run)) pruned += 1;
      } catch (error) {
        recordMetric(METRIC.PruneFailures);
        logger.error('could not retry the deletion; a later tick will', { ...runFields(run), error });
      }
    },
    () => hasTimeLeft(deps),
  );
  return pruned;
}
