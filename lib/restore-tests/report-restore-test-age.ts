import { DAY_MS } from '#lib/clock';
import { emitDimensionedMetric, logger, METRIC, recordMetric } from '#lib/observability';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';

/** A policy's restore-test age and what the overdue alarm sees of it. */
export interface RestoreTestAge {
  readonly policyId: string;
  /** Days since its newest VERIFIED test (since it became ACTIVE while there is none). */
  readonly ageDays: number;
  /** ageDays minus the policy's `alarmAfterDays`: above 0 is overdue. */
  readonly overdueDays: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The restore-test age of an ACTIVE policy with `restoreTest`; undefined for any other item. */
export function restoreTestAge(item: PolicyItem, now: Date): RestoreTestAge | undefined {
  if (item.state !== 'ACTIVE' || item.restoreTest === undefined) return undefined;
  const parsed = validatePolicy(item);
  if (!parsed.ok || parsed.policy.restoreTest === undefined) return undefined;
  const { view } = readOrchestratorAttributes(item);
  const since = view.lastVerifiedRestoreTest?.verifiedAt ?? view.activatedAt ?? view.syncedAt;
  if (since === undefined) return undefined;
  const ageDays = round2(Math.max(0, now.getTime() - Date.parse(since)) / DAY_MS);
  return {
    policyId: item.policyId,
    ageDays,
    overdueDays: round2(ageDays - parsed.policy.restoreTest.alarmAfterDays),
  };
}

/**
 * Emits the restore-test figures (docs/architecture.md, "Restore tests"): per ACTIVE policy with a
 * `restoreTest`, RestoreTestAgeDays (dimension policyId), and the largest overdue figure of them as
 * MaxRestoreTestOverdueDays, what the one RestoreTestOverdue alarm watches (above 0). Nothing when no
 * policy has restore tests. Returns the ages.
 */
export function reportRestoreTestAges(items: readonly PolicyItem[], now: Date): RestoreTestAge[] {
  const ages = items.flatMap((item) => restoreTestAge(item, now) ?? []);
  for (const age of ages)
    emitDimensionedMetric(METRIC.RestoreTestAgeDays, 'policyId', age.policyId, age.ageDays);
  if (ages.length > 0) {
    const worst = Math.max(...ages.map((age) => age.overdueDays));
    recordMetric(METRIC.MaxRestoreTestOverdueDays, worst);
    logger.info('restore test ages', { maxRestoreTestOverdueDays: worst, policies: ages.length });
  }
  return ages;
}
