import { emitDimensionedMetric, logger, METRIC, recordMetric } from '#lib/observability';
import type { PolicyItem } from '#lib/policy/types';

/**
 * Age in seconds of the data in the policy's newest available snapshot (since it was taken); for an active
 * policy that has none yet, since it was last activated. Undefined for policies that are not ACTIVE.
 */
export function newestSnapshotAgeSeconds(item: PolicyItem, now: Date): number | undefined {
  if (item.state !== 'ACTIVE') return undefined;
  const since =
    item.newestSnapshot?.takenAt ?? (typeof item.syncedAt === 'string' ? item.syncedAt : undefined);
  if (!since) return undefined;
  return Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
}

/**
 * Emits the recovery-point figures: per ACTIVE policy NewestSnapshotAgeSeconds (dimension policyId), and
 * the worst of them as MaxNewestSnapshotAgeSeconds, the one metric the RPO alarm watches (so an alarm can
 * say "no good snapshot for N hours" even when snapshots merely stop, not only when calls fail).
 */
export function reportRecoveryPoints(items: readonly PolicyItem[], now: Date): number | undefined {
  let worst: number | undefined;
  for (const item of items) {
    const age = newestSnapshotAgeSeconds(item, now);
    if (age === undefined) continue;
    emitDimensionedMetric(METRIC.NewestSnapshotAgeSeconds, 'policyId', item.policyId, age);
    worst = Math.max(worst ?? 0, age);
  }
  if (worst !== undefined) {
    recordMetric(METRIC.MaxNewestSnapshotAgeSeconds, worst);
    logger.info('recovery points', { maxNewestSnapshotAgeSeconds: worst });
  }
  return worst;
}
