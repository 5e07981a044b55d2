import { describe, expect, it } from 'vitest';
import { parsePolicy } from '#lib/policy/parse-policy';
import { isCachePolicy, policyForTarget } from '#lib/policy/policy-for-target';

const SCHEDULE = 'cron(0 3 * * ? *)';
const TARGETS = { policyId: 'gold', schedule: SCHEDULE, targets: { tags: { tier: 'gold' } } };

describe('policyForTarget', () => {
  it('gives a targets policy the cache of the target, and that cache name as its name prefix', () => {
    const policy = policyForTarget(parsePolicy(TARGETS), 'orders-eu');

    expect(policy).toMatchObject({ policyId: 'gold', cacheName: 'orders-eu', namePrefix: 'orders-eu' });
    expect(policy.targets).toBeUndefined();
    expect(isCachePolicy(policy)).toBe(true);
  });

  it("keeps a targets policy's own name prefix for every target", () => {
    const policy = policyForTarget(parsePolicy({ ...TARGETS, namePrefix: 'gold' }), 'orders-eu');

    expect(policy.namePrefix).toBe('gold');
  });

  it('shortens a long cache name into the name prefix as the default of a cacheName policy does', () => {
    const cacheName = `c${'-a1'.repeat(84)}`;
    const fromTarget = policyForTarget(parsePolicy(TARGETS), cacheName);
    const direct = parsePolicy({ policyId: 'gold', schedule: SCHEDULE, cacheName });

    expect(fromTarget.namePrefix).toBe(direct.namePrefix);
  });

  it('returns a cacheName policy as it is for its own cache, and refuses another cache', () => {
    const policy = parsePolicy({ policyId: 'orders', schedule: SCHEDULE, cacheName: 'orders' });

    expect(policyForTarget(policy, 'orders')).toBe(policy);
    expect(() => policyForTarget(policy, 'carts')).toThrow(RangeError);
    expect(isCachePolicy(policy)).toBe(true);
    expect(isCachePolicy(parsePolicy(TARGETS))).toBe(false);
  });
});
