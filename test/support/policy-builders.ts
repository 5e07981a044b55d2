import type { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { computeSpecHash, parsePolicy, validatePolicy } from '#lib/policy/parse-policy';
import { isCachePolicy } from '#lib/policy/policy-for-target';
import type { CachePolicy, PolicyItem } from '#lib/policy/types';

/** An operator record: hourly (`rate(1 hour)`) on cache `orders`, 30-minute start window. */
export function policyItem(policyId: string, overrides: Partial<PolicyItem> = {}): PolicyItem {
  return {
    policyId,
    cacheName: 'orders',
    schedule: 'rate(1 hour)',
    startWindowMinutes: 30,
    ...overrides,
  };
}

/** The parsed policy of a `cacheName` record (throws if the record is invalid or has targets: a bug in the test). */
export function policyOf(item: PolicyItem): CachePolicy {
  const policy = parsePolicy(item);
  if (!isCachePolicy(policy)) throw new Error(`policy ${item.policyId} has targets, not a cacheName`);
  return policy;
}

/** The issues of a record validation refuses (throws if it is accepted: the test expected a refusal). */
export function issuesOf(item: Record<string, unknown>) {
  const result = validatePolicy(item);
  if (result.ok) throw new Error('expected the record to be refused');
  return result.issues;
}

/** Stores `item` as policy sync leaves a valid one: ACTIVE, in sync, due at `nextRunAt`. */
export async function putActivePolicy(
  store: InMemoryPolicyStore,
  item: PolicyItem,
  nextRunAt: string,
): Promise<PolicyItem> {
  const stored: PolicyItem = { ...item, state: 'ACTIVE', nextRunAt, specHash: computeSpecHash(item) };
  await store.put(stored);
  return stored;
}
