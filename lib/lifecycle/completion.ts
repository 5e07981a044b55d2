import { toIso } from '../clock';
import { runBounded } from '../concurrency';
import { logger } from '../observability';
import { available, ended } from '../runs/transitions';
import type { RunRecord } from '../runs/types';
import type { SchedulerDeps } from '../scheduler/deps';
import { runFields, saveRun } from '../scheduler/outcomes';
import type { SnapshotInfo } from '../snapshots/snapshot-gateway';

export interface CompletionResult {
  /** Caches with a snapshot still being made (ours or anyone's): no Create on them this tick. */
  readonly busyCaches: ReadonlySet<string>;
  /** Runs that became AVAILABLE in this pass. */
  readonly completed: readonly RunRecord[];
}

function groupByCache(runs: readonly RunRecord[]): Map<string, RunRecord[]> {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) groups.set(run.cacheName, [...(groups.get(run.cacheName) ?? []), run]);
  return groups;
}

/**
 * Checks REQUESTED runs for completion with one paginated DescribeServerlessCacheSnapshots per cache (not
 * one call per snapshot): `available` → AVAILABLE with its size; gone → FAILED (it vanished while being
 * made); still not complete after the completion timeout → FAILED. A cache whose listing fails is logged
 * and treated as busy; its runs are checked again next tick.
 */
export async function trackCompletions(
  deps: SchedulerDeps,
  runs: readonly RunRecord[],
): Promise<CompletionResult> {
  const busyCaches = new Set<string>();
  const completed: RunRecord[] = [];
  const groups = [...groupByCache(runs)];
  await runBounded(groups, deps.settings.concurrency, async ([cacheName, cacheRuns]) => {
    let snapshots: SnapshotInfo[];
    try {
      snapshots = await deps.snapshots.listSnapshots(cacheName);
    } catch (error) {
      busyCaches.add(cacheName);
      logger.error('could not list snapshots to track completion; retrying next tick', { cacheName, error });
      return;
    }
    if (snapshots.some((snapshot) => snapshot.status === 'creating')) busyCaches.add(cacheName);
    const byName = new Map(snapshots.map((snapshot) => [snapshot.name, snapshot]));
    for (const run of cacheRuns) {
      try {
        const next = completionOf(deps, run, byName.get(run.snapshotName));
        if (next && (await saveRun(deps, next, run)) && next.status === 'AVAILABLE') completed.push(next);
      } catch (error) {
        logger.error('could not record completion; retrying next tick', { ...runFields(run), error });
      }
    }
  });
  return { busyCaches, completed };
}

function completionOf(
  deps: SchedulerDeps,
  run: RunRecord,
  snapshot: SnapshotInfo | undefined,
): RunRecord | undefined {
  const now = deps.clock();
  const days = deps.settings.runRetentionDays;
  const requestedAt = Date.parse(run.requestedAt ?? run.updatedAt);
  if (!snapshot) {
    // A listing may lag a fresh Create for a moment; only a snapshot missing after that has vanished.
    if (now.getTime() - requestedAt < 2 * deps.settings.pollIntervalMs) return undefined;
    return ended(run, 'FAILED', now, days, {
      code: 'SnapshotVanished',
      message: `snapshot ${run.snapshotName} disappeared before it became available`,
    });
  }
  if (snapshot.status === 'available') return available(run, snapshot, now);
  if (now.getTime() - requestedAt > deps.settings.completionTimeoutMs) {
    return ended(run, 'FAILED', now, days, {
      code: 'CompletionTimeout',
      message: `snapshot still ${snapshot.status} at ${toIso(now)}, ${Math.round((now.getTime() - requestedAt) / 60_000)} minutes after the request`,
    });
  }
  return undefined;
}
