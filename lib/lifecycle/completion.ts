import { toIso } from '#lib/clock';
import { groupBy } from '#lib/collections';
import { runBounded } from '#lib/concurrency';
import { SnapshotServiceError } from '#lib/errors';
import { logger } from '#lib/observability';
import { cacheKey, placementOf } from '#lib/placements/placement';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { available, ended } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import type { SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
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
 * one call per snapshot): `available` → AVAILABLE with its size; gone → FAILED (it vanished while being
 * made); still not complete after the completion timeout → FAILED. A cache whose listing fails is logged
 * and treated as busy; its runs are checked again next tick, until the completion timeout ends them.
 */
export async function trackCompletions(
  deps: LifecycleDeps,
  runs: readonly RunRecord[],
): Promise<CompletionResult> {
  const busyCaches = new Set<string>();
  const completed: RunRecord[] = [];
  const groups = [...groupBy(runs, (run) => cacheKey(placementOf(run), run.cacheName))];
  await runBounded(groups, deps.settings.concurrency, async ([key, cacheRuns]) => {
    const listing = await listForCompletion(deps, cacheRuns);
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

/** What is known of a run's snapshot: its state, absent, or unknown because the listing failed. */
type Sighting = SnapshotInfo | undefined | { readonly unknown: string };

interface Listing {
  readonly busy: boolean;
  readonly lookup: (run: RunRecord) => Sighting;
}

/**
 * Lists the snapshots of the runs' cache (all of one cache in one placement). When the cache itself is gone,
 * its snapshots may live on: each run's is looked up by name. When the listing fails otherwise (its member
 * role cannot be assumed, say), the runs' snapshots are unknown this tick (and the cache counts as busy);
 * the completion timeout still ends them.
 */
async function listForCompletion(deps: LifecycleDeps, runs: readonly RunRecord[]): Promise<Listing> {
  const first = runs[0];
  if (!first) return { busy: false, lookup: () => undefined };
  const { cacheName } = first;
  const gateway = deps.placements.snapshots(placementOf(first));
  try {
    const snapshots = await gateway.listSnapshots(cacheName);
    const byName = new Map(snapshots.map((snapshot) => [snapshot.name, snapshot]));
    return {
      busy: snapshots.some((snapshot) => snapshot.status === 'creating'),
      lookup: (run) => byName.get(run.snapshotName),
    };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error instanceof SnapshotServiceError && error.faultClass === 'not-found') {
      logger.warn('cache gone; looking up its requested snapshots by name', { cacheName, error });
      const found = new Map<string, Sighting>();
      for (const run of runs) {
        found.set(
          run.snapshotName,
          await gateway
            .getSnapshot(run.snapshotName)
            .catch((lookupError) => ({ unknown: String(lookupError) })),
        );
      }
      return { busy: false, lookup: (run) => found.get(run.snapshotName) };
    }
    logger.error('could not list snapshots to track completion; retrying next tick', { cacheName, error });
    return { busy: true, lookup: () => ({ unknown: reason }) };
  }
}

function completionOf(deps: LifecycleDeps, run: RunRecord, snapshot: Sighting): RunRecord | undefined {
  const now = deps.clock();
  const days = deps.settings.runRetentionDays;
  const requestedAt = Date.parse(run.requestedAt ?? run.updatedAt);
  const minutes = Math.round((now.getTime() - requestedAt) / 60_000);
  if (snapshot && 'unknown' in snapshot) {
    if (now.getTime() - requestedAt <= deps.settings.completionTimeoutMs) return undefined;
    return ended(run, 'FAILED', now, days, {
      code: OUTCOME_CODE.CompletionTimeout,
      message:
        `snapshot not seen available ${minutes} minutes after the request; last check failed: ${snapshot.unknown}`.slice(
          0,
          1000,
        ),
    });
  }
  if (!snapshot) {
    // A listing may lag a fresh Create for a moment; only a snapshot missing after that has vanished.
    if (now.getTime() - requestedAt < 2 * deps.settings.pollIntervalMs) return undefined;
    return ended(run, 'FAILED', now, days, {
      code: OUTCOME_CODE.SnapshotVanished,
      message: `snapshot ${run.snapshotName} disappeared before it became available`,
    });
  }
  if (snapshot.status === 'available') return available(run, snapshot, now);
  if (now.getTime() - requestedAt > deps.settings.completionTimeoutMs) {
    return ended(run, 'FAILED', now, days, {
      code: OUTCOME_CODE.CompletionTimeout,
      message: `snapshot still ${snapshot.status} at ${toIso(now)}, ${minutes} minutes after the request`,
    });
  }
  return undefined;
}
