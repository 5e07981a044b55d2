import { addMs, DAY_MS } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { SnapshotServiceError } from '#lib/errors';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import type { Policy, RetentionRule } from '#lib/policy/types';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { ended, pruning } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { durableRetryAt, hasTimeLeft, type LifecycleDeps } from './deps';

/**
 * The runs whose snapshots retention removes, oldest first: beyond `maxCount`, or older than `maxAgeDays`
 * (by slot), but never one of the newest `minCount`. `runs` are the policy's AVAILABLE runs. `reserve`
 * counts snapshots about to be taken against `maxCount` (quota relief makes room for the next one).
 */
export function selectPrunable(
  runs: readonly RunRecord[],
  rule: RetentionRule,
  now: Date,
  reserve = 0,
): RunRecord[] {
  const newestFirst = [...runs].sort((a, b) => (a.slot < b.slot ? 1 : -1));
  const cutoff =
    rule.maxAgeDays === undefined ? undefined : addMs(now, -rule.maxAgeDays * DAY_MS).toISOString();
  return newestFirst
    .filter((run, index) => {
      if (index < rule.minCount) return false;
      const beyondCount = rule.maxCount !== undefined && index >= rule.maxCount - reserve;
      const tooOld = cutoff !== undefined && run.slot < cutoff;
      return beyondCount || tooOld;
    })
    .reverse();
}

/**
 * Deletes the policy's own snapshots that its retention no longer keeps; returns how many were deleted.
 * Only runs this policy recorded are candidates, and each snapshot must still carry the policy's managed
 * tags: a person's snapshot, another policy's and automated ones are never touched. `reserve` is passed
 * to selectPrunable.
 */
export async function applyRetention(deps: LifecycleDeps, policy: Policy, reserve = 0): Promise<number> {
  if (!policy.retention) return 0;
  const runs: RunRecord[] = [];
  for await (const run of deps.runs.listByPolicy(policy.policyId, { statuses: ['AVAILABLE'] }))
    runs.push(run);
  let pruned = 0;
  for (const run of selectPrunable(runs, policy.retention, deps.clock(), reserve)) {
    try {
      if (await pruneRun(deps, run)) pruned += 1;
    } catch (error) {
      recordMetric(METRIC.PruneFailures);
      logger.error('could not prune; retention will try again', { ...runFields(run), error });
    }
  }
  return pruned;
}

async function carriesPolicyMark(deps: LifecycleDeps, run: RunRecord): Promise<boolean> {
  if (!run.snapshotArn) return false;
  const tags = await deps.placements.snapshots(placementOf(run)).listTags(run.snapshotArn);
  return tags[MANAGED_TAGS.managedBy] === MANAGED_BY_VALUE && tags[MANAGED_TAGS.policyId] === run.policyId;
}

async function pruneRun(deps: LifecycleDeps, run: RunRecord): Promise<boolean> {
  const now = deps.clock();
  if (!(await carriesPolicyMark(deps, run))) {
    const reason = {
      code: OUTCOME_CODE.NotOwned,
      message: 'the snapshot no longer carries this policy’s managed tags; it is left alone',
    };
    await saveRun(deps, ended(run, 'SKIPPED', now, deps.settings.runRetentionDays, reason), run);
    return false;
  }
  const marked = pruning(run, now, now);
  if (!(await saveRun(deps, marked, run))) return false;
  return deleteSnapshotOfRun(deps, marked);
}

/**
 * Deletes the snapshot of a PRUNING run: PRUNED when it is gone (or already was); on a fault the run stays
 * PRUNING with the error and a later `nextCheckAt`, so a later tick tries again. Never forgotten.
 */
export async function deleteSnapshotOfRun(deps: LifecycleDeps, run: RunRecord): Promise<boolean> {
  try {
    await deps.placements.snapshots(placementOf(run)).deleteSnapshot(run.snapshotName);
  } catch (error) {
    const fault = error instanceof SnapshotServiceError ? error : undefined;
    if (fault?.faultClass !== 'not-found') {
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
