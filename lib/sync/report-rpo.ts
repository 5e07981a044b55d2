import { emitDimensionedMetric, logger, METRIC, recordMetric } from '#lib/observability';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem } from '#lib/policy/types';

/**
 * Age in seconds of the data in the policy's newest available snapshot (since it was taken); for an active
 * policy that has none yet, since it became ACTIVE (`activatedAt`, which re-syncs keep; an item activated
 * before that attribute existed: since its last sync). Undefined for policies that are not ACTIVE. The
 * orchestrator's attributes are read defensively: a malformed summary counts as none, never as NaN.
 */
export function newestSnapshotAgeSeconds(item: PolicyItem, now: Date): number | undefined {
  const { view } = readOrchestratorAttributes(item);
  if (view.state !== 'ACTIVE') return undefined;
  const since = view.newestSnapshot?.takenAt ?? view.activatedAt ?? view.syncedAt;
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
