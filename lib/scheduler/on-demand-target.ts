import { quote } from '#lib/errors';
import { withTags } from '#lib/fleet/discover-caches';
import { matchSelector } from '#lib/fleet/match-selector';
import { placementOf } from '#lib/placements/placement';
import { isCachePolicy, policyForTarget } from '#lib/policy/policy-for-target';
import type { CachePolicy, Policy } from '#lib/policy/types';
import type { SchedulerDeps } from './deps';

/**
 * The target an on-demand snapshot is of, as the policy applies to it, or why there is none:
 * - a `cacheName` policy: its cache; `cacheName`, when given, must be that cache;
 * - a `targets` policy: `cacheName` is required (one snapshot is of one target), and the cache must exist
 *   and be chosen by the selector now. Until the targets table lands (issue 13), this is judged from the
 *   cache's tags as discovery would; then it becomes "an ACTIVE target of the policy".
 */
export async function resolveOnDemandTarget(
  deps: Pick<SchedulerDeps, 'placements'>,
  policy: Policy,
  cacheName: string | undefined,
): Promise<CachePolicy | string> {
  const { policyId } = policy;
  if (isCachePolicy(policy)) {
    if (cacheName === undefined || cacheName === policy.cacheName) return policy;
    return `policy ${policyId} covers cache ${policy.cacheName}, not ${quote(cacheName)}`;
  }
  if (cacheName === undefined) {
    return `policy ${policyId} chooses its caches by targets: an on-demand snapshot is of one target, name it with --cache`;
  }
  const gateway = deps.placements.snapshots(placementOf(policy));
  const cache = await gateway.getCache(cacheName);
  if (!cache) return `no serverless cache ${quote(cacheName)}`;
  const verdict = matchSelector(policy.targets, await withTags({ snapshots: gateway }, cache));
  if (verdict.verdict !== 'selected') {
    return `cache ${cacheName} is not a target of policy ${policyId}: ${verdict.reason}`;
  }
  return policyForTarget(policy, cacheName);
}
