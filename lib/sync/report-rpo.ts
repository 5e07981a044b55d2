import { emitMetricWith, logger, METRIC, recordMetric } from '#lib/observability';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';

/** Seconds from `since` (ISO) to `now`, never negative. */
function secondsSince(since: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
}

/**
 * Age in seconds of the data in the policy's newest available snapshot (since it was taken); for an active
 * policy that has none yet, since it became ACTIVE (`activatedAt`, which re-syncs keep; an item activated
 * before that attribute existed: since its last sync). Undefined for policies that are not ACTIVE, and for
 * `targets` policies, whose recovery points are their targets' (targetAges). The orchestrator's attributes
 * are read defensively: a malformed summary counts as none, never as NaN.
 */
export function newestSnapshotAgeSeconds(item: PolicyItem, now: Date): number | undefined {
  if (item.targets !== undefined) return undefined;
  const { view } = readOrchestratorAttributes(item);
  if (view.state !== 'ACTIVE') return undefined;
  const since = view.newestSnapshot?.takenAt ?? view.activatedAt ?? view.syncedAt;
  if (!since) return undefined;
  return secondsSince(since, now);
}

/** One target's recovery-point figure, of a `targets` policy. */
export interface RecoveryPointAge {
  readonly policyId: string;
  readonly cacheName: string;
  readonly ageSeconds: number;
}

/**
 * The recovery-point age of each ACTIVE target of the ACTIVE `targets` policies among `items`: since its
 * newest available snapshot was taken, or since it was enrolled while it has none. A retired target has no
 * figure: no run is due for it, and its last recovery points are kept, not refreshed (coverage says whether
 * its cache is still protected). One Query of the targets table per such policy; a failed one is logged and
 * leaves that policy's targets out of this pass.
 */
export async function targetAges(
  table: Pick<TargetTable, 'listByPolicy'>,
  items: readonly PolicyItem[],
  now: Date,
): Promise<RecoveryPointAge[]> {
  const ages: RecoveryPointAge[] = [];
  for (const item of items) {
    if (item.state !== 'ACTIVE' || item.targets === undefined) continue;
    try {
      for await (const target of table.listByPolicy(item.policyId)) {
        const since = target.newestSnapshot?.takenAt ?? target.enrolledAt;
        if (target.state !== 'ACTIVE' || since === undefined) continue;
        ages.push({
          policyId: item.policyId,
          cacheName: target.cacheName,
          ageSeconds: secondsSince(since, now),
        });
      }
    } catch (error) {
      logger.error(
        'could not read the targets of the policy; their recovery points wait for the next reconcile',
        {
          policyId: item.policyId,
          error,
        },
      );
    }
  }
  return ages;
}

/**
 * Emits the recovery-point figures: NewestSnapshotAgeSeconds per ACTIVE `cacheName` policy (dimension
 * policyId) and per ACTIVE target of a `targets` policy (dimensions policyId and cacheName: one figure per
 * cache, so one stale cache of a fleet is not hidden by the others), and the worst of them all as
 * MaxNewestSnapshotAgeSeconds, the one metric the RPO alarm watches (so an alarm can say "no good snapshot
 * for N hours" even when snapshots merely stop, not only when calls fail). Returns the worst.
 */
export async function reportRecoveryPoints(
  table: Pick<TargetTable, 'listByPolicy'>,
  items: readonly PolicyItem[],
  now: Date,
): Promise<number | undefined> {
  let worst: number | undefined;
  for (const item of items) {
    const age = newestSnapshotAgeSeconds(item, now);
    if (age === undefined) continue;
    emitMetricWith(METRIC.NewestSnapshotAgeSeconds, { policyId: item.policyId }, age);
    worst = Math.max(worst ?? 0, age);
  }
  for (const { policyId, cacheName, ageSeconds } of await targetAges(table, items, now)) {
    emitMetricWith(METRIC.NewestSnapshotAgeSeconds, { policyId, cacheName }, ageSeconds);
    worst = Math.max(worst ?? 0, ageSeconds);
  }
  if (worst !== undefined) {
    recordMetric(METRIC.MaxNewestSnapshotAgeSeconds, worst);
    logger.info('recovery points', { maxNewestSnapshotAgeSeconds: worst });
  }
  return worst;
}
