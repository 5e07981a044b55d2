import { DAY_MS } from '#lib/clock';
import { emitMetricWith, logger, METRIC, recordMetric } from '#lib/observability';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';
import type { RestoreTestStore } from './restore-test-store';

/** A policy's restore-test age (a target's, with `cacheName`, for a `targets` policy) and what the overdue alarm sees of it. */
export interface RestoreTestAge {
  readonly policyId: string;
  readonly cacheName?: string;
  /** Days since its newest VERIFIED test (since it became ACTIVE while there is none). */
  readonly ageDays: number;
  /** ageDays minus the policy's `alarmAfterDays`: above 0 is overdue. */
  readonly overdueDays: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The `restoreTest.alarmAfterDays` of an ACTIVE valid policy with `restoreTest`; undefined for any other item. */
function alarmAfterDays(item: PolicyItem): number | undefined {
  if (item.state !== 'ACTIVE' || item.restoreTest === undefined) return undefined;
  const parsed = validatePolicy(item);
  return parsed.ok ? parsed.policy.restoreTest?.alarmAfterDays : undefined;
}

function ageSince(
  key: Pick<RestoreTestAge, 'policyId' | 'cacheName'>,
  since: string,
  allowance: number,
  now: Date,
) {
  const ageDays = round2(Math.max(0, now.getTime() - Date.parse(since)) / DAY_MS);
  return { ...key, ageDays, overdueDays: round2(ageDays - allowance) };
}

/**
 * The restore-test age of an ACTIVE `cacheName` policy with `restoreTest` (from its item's summary);
 * undefined for any other item, `targets` policies included: their ages are their targets' (targetRestoreTestAges).
 */
export function restoreTestAge(item: PolicyItem, now: Date): RestoreTestAge | undefined {
  const allowance = alarmAfterDays(item);
  if (allowance === undefined || item.targets !== undefined) return undefined;
  const { view } = readOrchestratorAttributes(item);
  const since = view.lastVerifiedRestoreTest?.verifiedAt ?? view.activatedAt ?? view.syncedAt;
  return since === undefined ? undefined : ageSince({ policyId: item.policyId }, since, allowance, now);
}

/** What the targets' restore-test ages read: the policies' targets and each target's restore tests. */
export interface TargetRestoreTestAgeDeps {
  readonly targets: Pick<TargetTable, 'listByPolicy'>;
  readonly restoreTests: Pick<RestoreTestStore, 'listOfTarget'>;
}

/**
 * The restore-test age of each ACTIVE target of the ACTIVE `targets` policies with `restoreTest`: since its
 * newest VERIFIED test, or since it was enrolled while it has none. Per target, so that one cache whose tests
 * fail is not hidden by the others' (the policy item's summary is the newest of any target). One Query of the
 * targets table per policy and one of each target's runs (its restore tests only, a few a month): reconcile
 * reads them, never a tick. A policy whose targets cannot be read is logged and left out of this pass.
 */
export async function targetRestoreTestAges(
  deps: TargetRestoreTestAgeDeps,
  items: readonly PolicyItem[],
  now: Date,
): Promise<RestoreTestAge[]> {
  const ages: RestoreTestAge[] = [];
  for (const item of items) {
    const allowance = alarmAfterDays(item);
    if (allowance === undefined || item.targets === undefined) continue;
    try {
      for await (const target of deps.targets.listByPolicy(item.policyId)) {
        if (target.state !== 'ACTIVE') continue;
        let since = target.enrolledAt;
        for await (const test of deps.restoreTests.listOfTarget(item.policyId, target.cacheName)) {
          if (test.status === 'VERIFIED' && test.verifiedAt !== undefined) since = test.verifiedAt;
        }
        const key = { policyId: item.policyId, cacheName: target.cacheName };
        if (since !== undefined) ages.push(ageSince(key, since, allowance, now));
      }
    } catch (error) {
      logger.error(
        'could not read the restore tests of the policy’s targets; the next reconcile tries again',
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
 * Emits the restore-test figures (docs/architecture.md, "Restore tests"): RestoreTestAgeDays per ACTIVE
 * `cacheName` policy with a `restoreTest` (dimension policyId) and, given `deps`, per ACTIVE target of a
 * `targets` policy with one (dimensions policyId and cacheName), and the largest overdue figure of them as
 * MaxRestoreTestOverdueDays, what the one RestoreTestOverdue alarm watches (above 0). Nothing when no policy
 * has restore tests. Returns the ages.
 */
export async function reportRestoreTestAges(
  deps: TargetRestoreTestAgeDeps | undefined,
  items: readonly PolicyItem[],
  now: Date,
): Promise<RestoreTestAge[]> {
  const ages = items.flatMap((item) => restoreTestAge(item, now) ?? []);
  if (deps) ages.push(...(await targetRestoreTestAges(deps, items, now)));
  for (const { policyId, cacheName, ageDays } of ages) {
    const dimensions: Record<string, string> =
      cacheName === undefined ? { policyId } : { policyId, cacheName };
    emitMetricWith(METRIC.RestoreTestAgeDays, dimensions, ageDays);
  }
  if (ages.length > 0) {
    const worst = Math.max(...ages.map((age) => age.overdueDays));
    recordMetric(METRIC.MaxRestoreTestOverdueDays, worst);
    logger.info('restore test ages', { maxRestoreTestOverdueDays: worst, ages: ages.length });
  }
  return ages;
}
