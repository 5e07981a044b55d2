import { groupBy } from '#lib/collections';
import { runBounded } from '#lib/concurrency';
import { logger } from '#lib/observability';
import { cacheKey, placementOf } from '#lib/placements/placement';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { available, ended, gone } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import type { SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import { isUnknown, listCacheSnapshots, type Sighting } from './cache-listing';
import type { LifecycleDeps } from './deps';

export interface CompletionResult {
  /**
   * Caches with a snapshot still being made (ours or anyone's): no Create on them this tick. Each is a
   * `cacheKey` (account, region and cache name: a name is unique only within its placement).
   */
  readonly busyCaches: ReadonlySet<string>;
  /** Runs that became AVAILABLE in this pass. */
  readonly completed: readonly RunRecord[];
}

/**
 * Checks REQUESTED runs for completion with one paginated DescribeServerlessCacheSnapshots per cache (not
 * one call per snapshot; lib/lifecycle/cache-listing.ts): `available` → AVAILABLE with its size, and the
 * rest as completionOf says. A cache whose listing fails is logged and treated as busy; its runs are
 * checked again next tick. Acts only on the deployment's own snapshots: a run is REQUESTED only once its
 * Create was accepted or its name was found taken by a snapshot carrying this deployment's mark, and the
 * deployment is part of every name (lib/naming), so the snapshot of that name on the run's cache is its own.
 */
export async function trackCompletions(
  deps: LifecycleDeps,
  runs: readonly RunRecord[],
): Promise<CompletionResult> {
  const busyCaches = new Set<string>();
  const completed: RunRecord[] = [];
  const groups = [...groupBy(runs, (run) => cacheKey(placementOf(run), run.cacheName))];
  await runBounded(groups, deps.settings.concurrency, async ([key, cacheRuns]) => {
    const [first] = cacheRuns;
    if (!first) return;
    const gateway = deps.placements.snapshots(placementOf(first));
    const listing = await listCacheSnapshots(gateway, first.cacheName, cacheRuns, 'to track completion');
    if (listing.busy) busyCaches.add(key);
    for (const run of cacheRuns) {
      try {
        const next = completionOf(deps, run, listing.lookup(run));
        if (next && (await saveRun(deps, next, run)) && next.status === 'AVAILABLE') completed.push(next);
      } catch (error) {
        logger.error('could not record completion; retrying next tick', { ...runFields(run), error });
      }
    }
  });
  return { busyCaches, completed };
}

/**
 * The run's next record from what the listing saw, or undefined to look again next tick. The run is never
 * judged without a look: an unknown sighting (the listing failed) changes nothing, however long it lasts,
 * and a snapshot still `creating` is never FAILED, even past the completion timeout (it is being made; the
 * tick warns instead). Absent after the listing-lag grace (two polls) → FAILED SnapshotVanished: a
 * snapshot cannot be deleted while `creating`, so one that disappears before it was ever seen available
 * most likely failed, and the slot has no recovery point the orchestrator ever saw: it must count (and
 * alarm) as a failure, not pass as GONE. Seen `deleting` → GONE: someone is deleting a snapshot the
 * orchestrator never deletes while waiting for it. Any other state past the timeout → FAILED CompletionTimeout.
 */
function completionOf(deps: LifecycleDeps, run: RunRecord, snapshot: Sighting): RunRecord | undefined {
  if (isUnknown(snapshot)) return undefined;
  const now = deps.clock();
  const days = deps.settings.runRetentionDays;
  const elapsedMs = now.getTime() - Date.parse(run.requestedAt ?? run.updatedAt);
  if (!snapshot) {
    if (elapsedMs < 2 * deps.settings.pollIntervalMs) return undefined;
    return ended(run, 'FAILED', now, days, {
      code: OUTCOME_CODE.SnapshotVanished,
      message: `snapshot ${run.snapshotName} disappeared before it was seen available (a creation the service abandoned, or a deletion right after it completed)`,
    });
  }
  if (snapshot.status === 'available') return available(run, snapshot, now);
  if (snapshot.status === 'deleting') {
    const message = `snapshot ${run.snapshotName} was being deleted outside the orchestrator before it was seen available`;
    return gone(run, 'completion', message, now, days);
  }
  if (elapsedMs <= deps.settings.completionTimeoutMs) return undefined;
  return pastTimeout(deps, run, snapshot, now, Math.round(elapsedMs / 60_000));
}

function pastTimeout(
  deps: LifecycleDeps,
  run: RunRecord,
  snapshot: SnapshotInfo,
  now: Date,
  minutes: number,
): RunRecord | undefined {
  if (snapshot.status === 'creating') {
    logger.warn('snapshot still creating past the completion timeout; not failed while it is being made', {
      ...runFields(run),
      minutes,
    });
    return undefined;
  }
  return ended(run, 'FAILED', now, deps.settings.runRetentionDays, {
    code: OUTCOME_CODE.CompletionTimeout,
    message: `snapshot still ${snapshot.status}, not available, ${minutes} minutes after the request`,
  });
}
