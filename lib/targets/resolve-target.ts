import { quote } from '#lib/errors';
import { describePlacement, placementOf, refKey } from '#lib/placements/placement';
import { isCachePolicy, policyForTarget } from '#lib/policy/policy-for-target';
import type { CachePolicy, Policy } from '#lib/policy/types';
import type { TargetTable } from './target-table';
import type { TargetRecord } from './types';

/**
 * Whether `target` was enrolled in another account or region than `policy` names now: the same cache name
 * there is another cache. Reconcile retires such a target and enrols the cache where the policy points.
 */
export function isEnrolledElsewhere(policy: Policy, target: TargetRecord): boolean {
  return refKey(placementOf(target)) !== refKey(placementOf(policy));
}

/**
 * The target an operator names for a snapshot or a restore test now (`cache-snapshots snapshot` and
 * `restore-test`), as the policy applies to it (policyForTarget: the policy's account and region are the
 * target's), or why there is none:
 * - a `cacheName` policy: its cache; `cacheName`, when given, must be that cache;
 * - a `targets` policy: `cacheName` is required, and must be an ACTIVE target of the policy in the targets
 *   table, enrolled where the policy points now. The table, not the cache's live tags, is the judge: a cache
 *   the selector would choose but discovery has not enrolled yet is refused, like a RETIRED target (the reason
 *   says since when and why), so an operator acts on exactly the targets the schedule acts on.
 */
export async function resolveTarget(
  table: Pick<TargetTable, 'get'>,
  policy: Policy,
  cacheName: string | undefined,
): Promise<CachePolicy | string> {
  const { policyId } = policy;
  if (isCachePolicy(policy)) {
    if (cacheName === undefined || cacheName === policy.cacheName) return policy;
    return `policy ${policyId} covers cache ${policy.cacheName}, not ${quote(cacheName)}`;
  }
  if (cacheName === undefined) {
    return `policy ${policyId} chooses its caches by targets: name one of its targets with --cache`;
  }
  const target = await table.get({ policyId, cacheName });
  if (target === undefined) {
    return `cache ${quote(cacheName)} is not a target of policy ${policyId}: never enrolled (its selector did not choose it, or discovery has not run since the cache or the policy changed: reconcile enrols)`;
  }
  return refusal(policy, target) ?? policyForTarget(policy, cacheName);
}

/** Why an enrolled target cannot be acted on now, or undefined when it can. */
function refusal(policy: Policy, target: TargetRecord): string | undefined {
  const name = `cache ${quote(target.cacheName)}`;
  if (target.state !== 'ACTIVE') {
    const since = target.retiredAt === undefined ? '' : ` since ${target.retiredAt}`;
    const why = target.retiredReason === undefined ? '' : `: ${target.retiredReason}`;
    return `${name} is no longer a target of policy ${policy.policyId}: RETIRED${since}${why}`;
  }
  if (!isEnrolledElsewhere(policy, target)) return undefined;
  return `${name} was enrolled as a target of policy ${policy.policyId} in ${describePlacement(target)}, but the policy names ${describePlacement(policy)} now: reconcile retires it and enrols the cache there`;
}
