import { toIso } from '#lib/clock';
import { logger } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import type { TargetsPolicy } from '#lib/policy/types';
import { nextSlotAfter } from '#lib/schedule/policy-slots';
import { isEnrolledElsewhere } from '#lib/targets/resolve-target';
import type { TargetTable } from '#lib/targets/target-table';
import type { TargetRecord } from '#lib/targets/types';
import { matchSelector } from './match-selector';
import { attempt, retime, retireOne, type Writes } from './target-writes';
import type { FleetCache, FleetSnapshot } from './types';

/** What enrolment changed for one policy, and what its selector chose in this fleet. */
export interface EnrolmentSummary {
  readonly enrolled: readonly string[];
  readonly retired: readonly string[];
  /** The caches the selector chooses now (enrolled before or just now). */
  readonly chosen: number;
  /** The policy's ACTIVE targets once this pass is done, by cache name. */
  readonly active: readonly string[];
  /**
   * Every target of the policy as listed, when this enrolment wrote (or tried to write) none of them: what
   * listing them again would return, so reconcile need not. Undefined after any write.
   */
  readonly untouched?: readonly TargetRecord[];
}

/** The reason a cache is retired, or undefined when it stays (chosen, or its tags could not be read). */
function leaveReason(policy: TargetsPolicy, cache: FleetCache | undefined): string | undefined {
  if (cache === undefined) return 'the cache no longer exists in the account and region';
  if (cache.status === 'deleting') return 'the cache is being deleted';
  const verdict = matchSelector(policy.targets, cache);
  if (verdict.verdict === 'selected' || verdict.verdict === 'undetermined') return undefined;
  return `no longer chosen by the selector (${verdict.reason})`;
}

/** Whether an ACTIVE target was enrolled in another account or region than the policy names now. */
function movedAway(policy: TargetsPolicy, target: TargetRecord): boolean {
  return target.state === 'ACTIVE' && isEnrolledElsewhere(policy, target);
}

/**
 * Brings an ACTIVE `targets` policy's targets in line with `fleet`, the caches of the policy's account and
 * region (docs/architecture.md, "Targets"): each cache its selector chooses and that is not an ACTIVE target
 * is enrolled at its first slot at or after `now` (a retired one re-enrolled), with the policy's `account`
 * and `region`; each ACTIVE target whose cache is gone, being deleted or no longer chosen is retired with the
 * reason, and one enrolled in another account or region than the policy names now is retired first (the
 * same name there is another cache, enrolled anew). A cache whose tags could not be read is left as it was
 * (never enrolled nor retired on a failed read). Each target's write is its own: one failure is logged and
 * the rest go on.
 */
export async function enrolTargets(
  deps: { readonly table: TargetTable },
  policy: TargetsPolicy,
  fleet: FleetSnapshot,
  now: Date,
): Promise<EnrolmentSummary> {
  const existing = new Map<string, TargetRecord>();
  const listed: TargetRecord[] = [];
  const retired: string[] = [];
  const writes: Writes = { count: 0 };
  for await (const target of deps.table.listByPolicy(policy.policyId)) {
    listed.push(target);
    existing.set(target.cacheName, target);
    if (!movedAway(policy, target)) continue;
    const reason = 'the policy names another account or region now';
    await retireOne(deps.table, target, now, reason, retired, writes);
    if (retired.includes(target.cacheName)) existing.set(target.cacheName, { ...target, state: 'RETIRED' });
  }
  const byName = new Map(fleet.caches.map((cache) => [cache.name, cache]));
  const enrolled: string[] = [];
  const chosen = fleet.caches.filter(
    (cache) => cache.status !== 'deleting' && matchSelector(policy.targets, cache).verdict === 'selected',
  );
  const first = nextSlotAfter(policy, new Date(now.getTime() - 1));
  for (const cache of chosen) {
    if (existing.get(cache.name)?.state === 'ACTIVE' || first === undefined) continue;
    await attempt(policy.policyId, cache.name, 'enrol', writes, async () => {
      const enrolment = {
        policyId: policy.policyId,
        cacheName: cache.name,
        engine: cache.engine,
        ...placementOf(policy),
      };
      if (await deps.table.enrol({ ...enrolment, nextRunAt: toIso(first), enrolledAt: toIso(now) })) {
        enrolled.push(cache.name);
        const again = existing.has(cache.name);
        logger.info(again ? 'target enrolled again' : 'target enrolled', {
          outcome: 'TargetEnrolled',
          policyId: policy.policyId,
          cacheName: cache.name,
          nextRunAt: toIso(first),
        });
      }
    });
  }
  for (const target of existing.values()) {
    const reason = target.state === 'ACTIVE' ? leaveReason(policy, byName.get(target.cacheName)) : undefined;
    if (reason === undefined) {
      await retime(deps.table, target, first, now, writes);
      continue;
    }
    await retireOne(deps.table, target, now, reason, retired, writes);
  }
  const active = [...existing.values()]
    .filter((target) => target.state === 'ACTIVE' && !retired.includes(target.cacheName))
    .map((target) => target.cacheName);
  return {
    enrolled,
    retired,
    chosen: chosen.length,
    active: [...new Set([...active, ...enrolled])].sort(),
    untouched: writes.count === 0 ? listed : undefined,
  };
}

/**
 * Retires every ACTIVE target of `policyId` (its policy was deleted, disabled or became invalid): they leave
 * the due index and take no slot; their runs and summaries stay, and re-enabling enrols them again.
 */
export async function retireAllTargets(
  deps: { readonly table: TargetTable },
  policyId: string,
  now: Date,
  reason: string,
): Promise<string[]> {
  const retired: string[] = [];
  for await (const target of deps.table.listByPolicy(policyId)) {
    if (target.state !== 'ACTIVE') continue;
    await retireOne(deps.table, target, now, reason, retired);
  }
  return retired;
}
