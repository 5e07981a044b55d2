import { groupBy } from '#lib/collections';
import { runBounded } from '#lib/concurrency';
import { ConditionalWriteError } from '#lib/errors';
import { logger } from '#lib/observability';
import { cacheKey, placementOf } from '#lib/placements/placement';
import type { PlacementClients } from '#lib/placements/placement-clients';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { PolicyItem } from '#lib/policy/types';
import { runFields } from '#lib/runs/report-outcome';
import type { RunStore } from '#lib/runs/run-store';
import { type SaveRunDeps, saveRun } from '#lib/runs/save-run';
import { newestSnapshotOf } from '#lib/runs/snapshot-summary';
import { gone } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import type { TargetStore } from '#lib/targets/target-store';
import { type CacheListing, isUnknown, listCacheSnapshots, type Sighting } from './cache-listing';
import type { LifecycleSettings } from './deps';
import { moveNewestBack, newestRun } from './newest-snapshot';

/** What the check touches: runs, the policies' summaries, snapshot listings and the clock. */
export interface SnapshotCheckDeps extends SaveRunDeps {
  readonly runs: Pick<RunStore, 'create' | 'transition' | 'listByPolicy'>;
  readonly policies: Pick<PolicyStore, 'recordLastRun' | 'recordNewestSnapshot' | 'replaceNewestSnapshot'>;
  /** Run summaries, and a targets policy's targets' newest-snapshot summaries moved back. */
  readonly targets: Pick<TargetStore, 'recordSummaries' | 'replaceNewestSnapshot'>;
  /** Each run's cache is listed in the run's account and region. */
  readonly placements: Pick<PlacementClients, 'snapshots'>;
  readonly settings: Pick<LifecycleSettings, 'concurrency' | 'runRetentionDays'>;
}

export interface SnapshotCheck {
  /** The items, each with `newestSnapshot` as it now is (moved back, or removed, when its snapshot is gone). */
  readonly items: PolicyItem[];
  /** How many runs were found GONE. */
  readonly gone: number;
  /** The `targets` policies some of whose targets' newest-snapshot summaries the check moved (or tried to). */
  readonly targetsMoved: ReadonlySet<string>;
}

/**
 * Checks that every AVAILABLE run of `items` still has its snapshot, with one paginated Describe per cache
 * (not per run): a snapshot missing from its cache's listing, or being deleted, was deleted outside the
 * orchestrator and its run ends GONE (noticed by reconcile). Each `cacheName` policy's `newestSnapshot` is then
 * recomputed from the AVAILABLE runs left, and a `targets` policy's target whose newest run went GONE has its
 * own moved back (moveNewestBack), so the recovery point moves back (or goes) when it was deleted by hand,
 * and the recovery-point metric counts only snapshots that exist. A policy whose runs or cache cannot be
 * listed is logged and kept as it was; the next reconcile checks again.
 */
export async function checkAvailableSnapshots(
  deps: SnapshotCheckDeps,
  items: readonly PolicyItem[],
): Promise<SnapshotCheck> {
  const available = new Map<string, RunRecord[]>();
  await runBounded(items, deps.settings.concurrency, async (item) => {
    try {
      const runs: RunRecord[] = [];
      for await (const run of deps.runs.listByPolicy(item.policyId, { statuses: ['AVAILABLE'] }))
        runs.push(run);
      available.set(item.policyId, runs);
    } catch (error) {
      logger.error('could not list the policy’s available runs; the next reconcile checks them', {
        policyId: item.policyId,
        error,
      });
    }
  });
  const listings = new Map<string, CacheListing>();
  const cacheOf = (run: RunRecord) => cacheKey(placementOf(run), run.cacheName);
  const byCache = [...groupBy([...available.values()].flat(), cacheOf)];
  await runBounded(byCache, deps.settings.concurrency, async ([key, runs]) => {
    const [first] = runs;
    if (!first) return;
    const gateway = deps.placements.snapshots(placementOf(first));
    listings.set(key, await listCacheSnapshots(gateway, first.cacheName, runs, 'to check they exist'));
  });
  let goneCount = 0;
  const checked: PolicyItem[] = [];
  const targetsMoved = new Set<string>();
  for (const item of items) {
    const runs = available.get(item.policyId);
    if (runs === undefined) {
      checked.push(item);
      continue;
    }
    const kept: RunRecord[] = [];
    const removed = new Set<RunRecord>();
    for (const run of runs) {
      const outcome = await settleRun(deps, run, listings.get(cacheOf(run))?.lookup(run));
      if (outcome === 'gone') {
        goneCount += 1;
        removed.add(run);
      }
      if (outcome === 'kept') kept.push(run);
    }
    if (typeof item.cacheName === 'string') checked.push(await settleNewest(deps, item, kept));
    else {
      // A targets policy's summaries are its targets' (the targets table): each moves back on its own.
      if (removed.size > 0) {
        targetsMoved.add(item.policyId);
        for (const ofCache of groupBy(runs, (run) => run.cacheName).values()) {
          await moveNewestBack(deps, 'targets', ofCache, removed);
        }
      }
      checked.push(item);
    }
  }
  return { items: checked, gone: goneCount, targetsMoved };
}

/** GONE when the listing shows the run's snapshot missing or being deleted; `moved` when another writer won. */
async function settleRun(
  deps: SnapshotCheckDeps,
  run: RunRecord,
  sighting: Sighting,
): Promise<'kept' | 'gone' | 'moved'> {
  if (isUnknown(sighting) || (sighting && sighting.status !== 'deleting')) return 'kept';
  const seen = sighting
    ? `snapshot ${run.snapshotName} is being deleted outside the orchestrator`
    : `snapshot ${run.snapshotName} is no longer in the listing of cache ${run.cacheName}`;
  try {
    const next = gone(run, 'reconcile', seen, deps.clock(), deps.settings.runRetentionDays);
    return (await saveRun(deps, next, run)) ? 'gone' : 'moved';
  } catch (error) {
    logger.error('could not record the run GONE; the next reconcile tries again', {
      ...runFields(run),
      error,
    });
    return 'kept';
  }
}

/** Sets the policy's newest-snapshot summary to its newest AVAILABLE run left, when that differs. */
async function settleNewest(
  deps: SnapshotCheckDeps,
  item: PolicyItem,
  kept: readonly RunRecord[],
): Promise<PolicyItem> {
  const newest = newestRun(kept);
  const next = newest && newestSnapshotOf(newest);
  const current = typeof item.newestSnapshot?.slot === 'string' ? item.newestSnapshot.slot : undefined;
  if (next?.slot === current) return item;
  try {
    await deps.policies.replaceNewestSnapshot(item.policyId, current, next);
  } catch (error) {
    if (error instanceof ConditionalWriteError) {
      logger.info('newest snapshot changed meanwhile; left to the next reconcile', {
        policyId: item.policyId,
      });
    } else {
      logger.error('could not set the newest snapshot; the next reconcile tries again', {
        policyId: item.policyId,
        error,
      });
    }
    return item;
  }
  logger.info('newest snapshot summary set from the snapshots that exist', {
    policyId: item.policyId,
    from: current,
    to: next?.slot,
  });
  const { newestSnapshot: _replaced, ...rest } = item;
  return next ? { ...rest, newestSnapshot: next } : rest;
}
