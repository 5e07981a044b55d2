import { addMs, DAY_MS } from '#lib/clock';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import type { Policy, RetentionRule } from '#lib/policy/types';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { ended, pruning } from '#lib/runs/transitions';
import { isExportInFlight, type RunRecord } from '#lib/runs/types';
import { judgeOwnership, type Ownership } from '#lib/snapshots/ownership';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import type { LifecycleDeps } from './deps';
import { deleteSnapshotOfRun, goneBeforeRetention, isNotFound } from './snapshot-deletion';

/**
 * The runs whose snapshots retention removes, oldest first: beyond `maxCount`, or older than `maxAgeDays`
 * (by slot), but never one of the newest `minCount`. `runs` are the policy's AVAILABLE runs (or anything
 * with a slot: exported objects by the slot of their snapshot, lib/exports/export-retention.ts). `reserve`
 * counts snapshots about to be taken against `maxCount` (quota relief makes room for the next one).
 * Kept snapshots (`snapshot --keep`) are outside retention: never selected, and not counted.
 */
export function selectPrunable<T extends { readonly slot: string; readonly keep?: boolean }>(
  runs: readonly T[],
  rule: RetentionRule,
  now: Date,
  reserve = 0,
): T[] {
  const newestFirst = runs.filter((run) => !run.keep).sort((a, b) => (a.slot < b.slot ? 1 : -1));
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
 * Only runs this policy recorded are candidates, and each snapshot's tags must still carry this deployment's
 * mark for the run (lib/snapshots/ownership.ts): a person's snapshot, another deployment's, another policy's
 * and automated ones are never touched. A snapshot already deleted by someone else ends its run GONE.
 * `reserve` is passed to selectPrunable; `cacheName` limits it to one target (quota relief for its next snapshot).
 */
export async function applyRetention(
  deps: LifecycleDeps,
  policy: Policy,
  reserve = 0,
  cacheName?: string,
): Promise<number> {
  if (!policy.retention) return 0;
  const byCache = new Map<string, RunRecord[]>();
  for await (const run of deps.runs.listByPolicy(policy.policyId, { statuses: ['AVAILABLE'], cacheName })) {
    const runs = byCache.get(run.cacheName) ?? [];
    runs.push(run);
    byCache.set(run.cacheName, runs);
  }
  let pruned = 0;
  // Each target apart: a targets policy's maxCount and minCount hold per cache, a retired target's too
  // (its cache deleted: its newest minCount snapshots are its last recovery points, and stay).
  for (const runs of byCache.values()) {
    for (const run of selectPrunable(runs, policy.retention, deps.clock(), reserve)) {
      if (isExportInFlight(run.export)) continue; // its export needs the snapshot: pruned once it is done
      try {
        if (await pruneRun(deps, run)) pruned += 1;
      } catch (error) {
        recordMetric(METRIC.PruneFailures);
        logger.error('could not prune; retention will try again', { ...runFields(run), error });
      }
    }
  }
  return pruned;
}

/** The snapshot's tags (in the run's account and region), or undefined when it no longer exists. */
async function tagsOfSnapshot(
  deps: LifecycleDeps,
  run: RunRecord,
  arn: string,
): Promise<Record<string, string> | undefined> {
  try {
    return await deps.placements.snapshots(placementOf(run)).listTags(arn);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Puts this deployment's tag on a snapshot made before deployments were told apart, which its run record
 * claims: IAM lets the role delete only snapshots carrying the tag, and adding it is the one standalone
 * AddTagsToResource the orchestrator makes (README, "Deployment identity"). False when the snapshot is gone.
 */
async function adoptLegacySnapshot(deps: LifecycleDeps, run: RunRecord, arn: string): Promise<boolean> {
  try {
    const tag = { [MANAGED_TAGS.deployment]: deps.settings.deploymentName };
    await deps.placements.snapshots(placementOf(run)).tagSnapshot(arn, tag);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  logger.info('legacy snapshot adopted: tagged with this deployment before its deletion', runFields(run));
  return true;
}

async function pruneRun(deps: LifecycleDeps, run: RunRecord): Promise<boolean> {
  const now = deps.clock();
  const arn = run.snapshotArn;
  const tags = arn ? await tagsOfSnapshot(deps, run, arn) : {};
  if (tags === undefined) {
    await saveRun(deps, goneBeforeRetention(deps, run, 'ListTagsForResource: not found'), run);
    return false;
  }
  const mark = { deployment: deps.settings.deploymentName, policyId: run.policyId, slot: run.slot };
  const ownership: Ownership = arn
    ? judgeOwnership(tags, mark)
    : { owned: false, reason: 'no snapshot ARN recorded' };
  if (!ownership.owned) {
    const reason = {
      code: OUTCOME_CODE.NotOwned,
      message: `not this deployment's snapshot for this run: ${ownership.reason}; it is left alone`,
    };
    await saveRun(deps, ended(run, 'SKIPPED', now, deps.settings.runRetentionDays, reason), run);
    return false;
  }
  if (ownership.legacy && arn && !(await adoptLegacySnapshot(deps, run, arn))) {
    await saveRun(deps, goneBeforeRetention(deps, run, 'AddTagsToResource: not found'), run);
    return false;
  }
  const marked = pruning(run, now, now);
  if (!(await saveRun(deps, marked, run))) return false;
  return deleteSnapshotOfRun(deps, marked);
}
