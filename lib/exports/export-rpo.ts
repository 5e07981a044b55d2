import { addMs, type Clock, DAY_MS, HOUR_MS, toIso } from '#lib/clock';
import { EXPORT_DESTINATION_DIMENSION, emitMetricWith, logger, METRIC } from '#lib/observability';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import { validatePolicy } from '#lib/policy/parse-policy';
import { isCachePolicy } from '#lib/policy/policy-for-target';
import type { Policy, PolicyItem } from '#lib/policy/types';
import type { RunStore } from '#lib/runs/run-store';
import { windowStart } from './export-due';

/** What the export recovery points read: each exporting policy's recent runs, and the time. */
export interface ExportRpoDeps {
  readonly runs: Pick<RunStore, 'listByPolicy'>;
  readonly clock: Clock;
}

/** The shortest history read for a policy's newest exports: longer than any `every` of an hourly schedule's day. */
const MIN_LOOKBACK_MS = 8 * DAY_MS;

/** Newest recovery point (the snapshot's time) exported to, or copied to, each bucket, per cache. */
async function newestPoints(deps: ExportRpoDeps, policy: Policy, now: Date) {
  const rule = policy.export;
  const every = rule?.every ?? 1;
  const window = windowStart(policy, toIso(now), 2 * every);
  const floor = toIso(addMs(now, -MIN_LOOKBACK_MS));
  const since = window === undefined || window > floor ? floor : window;
  const points = new Map<string, Map<string, string>>();
  const note = (cacheName: string, bucket: string, at: string) => {
    const byBucket = points.get(cacheName) ?? new Map<string, string>();
    points.set(cacheName, byBucket);
    if ((byBucket.get(bucket) ?? '') < at) byBucket.set(bucket, at);
  };
  if (isCachePolicy(policy)) points.set(policy.cacheName, new Map());
  for await (const run of deps.runs.listByPolicy(policy.policyId, { since })) {
    if (!points.has(run.cacheName)) points.set(run.cacheName, new Map());
    const exported = run.export;
    const at = run.requestedAt ?? run.slot;
    if (exported?.status === 'EXPORTED' || exported?.status === 'REPLICATED')
      note(run.cacheName, exported.bucket, at);
    if (exported?.status === 'REPLICATED' && exported.replica)
      note(run.cacheName, exported.replica.bucket, at);
  }
  return points;
}

/**
 * Emits `ExportRecoveryPointAgeHours` per destination bucket (dimension EXPORT_DESTINATION_DIMENSION): of
 * every target of an ACTIVE policy exporting there, the one whose newest exported (or copied) snapshot is
 * oldest, in hours since that snapshot was taken; a target with none yet counts from the policy's
 * activation. Read from the run records (one Query per exporting policy, at least 8 days back and 4 × `every`
 * intervals), so an export that stopped working shows as a growing age, as the alarm expects. Returns the
 * values by bucket.
 */
export async function reportExportRecoveryPoints(
  deps: ExportRpoDeps,
  items: readonly PolicyItem[],
): Promise<Map<string, number>> {
  const now = deps.clock();
  const worst = new Map<string, number>();
  for (const item of items) {
    const { view } = readOrchestratorAttributes(item);
    const parsed = validatePolicy(item);
    if (view.state !== 'ACTIVE' || !parsed.ok || !parsed.policy.export) continue;
    const rule = parsed.policy.export;
    const destinations = [rule.bucket, ...(rule.replicateTo ? [rule.replicateTo.bucket] : [])];
    const activated = view.activatedAt ?? view.syncedAt ?? toIso(now);
    try {
      for (const byBucket of (await newestPoints(deps, parsed.policy, now)).values()) {
        for (const bucket of destinations) {
          const since = byBucket.get(bucket) ?? activated;
          const hours = Math.max(0, (now.getTime() - Date.parse(since)) / HOUR_MS);
          worst.set(bucket, Math.max(worst.get(bucket) ?? 0, Math.round(hours * 100) / 100));
        }
      }
    } catch (error) {
      logger.error('could not read the exports of a policy for its recovery point', {
        policyId: item.policyId,
        error,
      });
    }
  }
  for (const [bucket, hours] of worst) {
    emitMetricWith(METRIC.ExportRecoveryPointAgeHours, { [EXPORT_DESTINATION_DIMENSION]: bucket }, hours);
  }
  if (worst.size > 0)
    logger.info('export recovery points', { exportRecoveryPointAgeHours: Object.fromEntries(worst) });
  return worst;
}
