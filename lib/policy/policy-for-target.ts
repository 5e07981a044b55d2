import { normalizeNamePrefix } from '#lib/naming/snapshot-name';
import type { CachePolicy, Policy } from './types';

/** Whether `policy` names its one cache (`cacheName`) rather than choosing caches by `targets`. */
export function isCachePolicy(policy: Policy): policy is CachePolicy {
  return policy.cacheName !== undefined;
}

/**
 * The policy as it applies to one of its targets, `cacheName`: what a run, a snapshot name and the quota
 * fit of that cache are made from. A `targets` policy without a `namePrefix` names each target's
 * snapshots after its cache (docs/architecture.md, "Targets"). A `cacheName` policy has one target, its
 * cache: it is returned as it is, and asking it for another cache is a programming error (RangeError).
 */
export function policyForTarget(policy: Policy, cacheName: string): CachePolicy {
  if (isCachePolicy(policy)) {
    if (policy.cacheName !== cacheName) {
      throw new RangeError(`policy ${policy.policyId} covers cache ${policy.cacheName}, not ${cacheName}`);
    }
    return policy;
  }
  const { targets: _selector, ...settings } = policy;
  const fromCacheName = normalizeNamePrefix(cacheName);
  const namePrefix = policy.namePrefix ?? (fromCacheName.ok ? fromCacheName.prefix : cacheName);
  return Object.freeze({ ...settings, cacheName, namePrefix });
}
