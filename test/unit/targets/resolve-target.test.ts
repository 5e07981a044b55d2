import { describe, expect, it } from 'vitest';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { parsePolicy } from '#lib/policy/parse-policy';
import { resolveTarget } from '#lib/targets/resolve-target';
import { fleetPolicy } from '#test/support/fleet-builders';

const AT = '2026-03-01T03:00:00.000Z';
const gold = fleetPolicy('gold', { tags: { tier: 'gold' } });

/** The targets table with `orders` an ACTIVE target of `gold` and `carts` a RETIRED one. */
async function table() {
  const targets = new InMemoryTargetTable();
  for (const cacheName of ['orders', 'carts']) {
    await targets.enrol({ policyId: 'gold', cacheName, nextRunAt: AT, enrolledAt: AT });
  }
  await targets.retire(
    { policyId: 'gold', cacheName: 'carts' },
    '2026-03-02T10:00:00.000Z',
    'the cache no longer exists in the account and region',
  );
  return targets;
}

describe('the target a snapshot or restore test now acts on', () => {
  it('is a cacheName policy’s cache, named or not', async () => {
    const policy = fleetPolicy('orders-daily', 'orders');

    expect(await resolveTarget(new InMemoryTargetTable(), policy, undefined)).toBe(policy);
    expect(await resolveTarget(new InMemoryTargetTable(), policy, 'orders')).toBe(policy);
  });

  it('refuses another cache than a cacheName policy’s, naming both', async () => {
    const policy = fleetPolicy('orders-daily', 'orders');

    expect(await resolveTarget(await table(), policy, 'carts')).toBe(
      'policy orders-daily covers cache orders, not "carts"',
    );
  });

  it('needs the cache named for a targets policy', async () => {
    expect(await resolveTarget(await table(), gold, undefined)).toBe(
      'policy gold chooses its caches by targets: name one of its targets with --cache',
    );
  });

  it('is an ACTIVE target of a targets policy, as the policy applies to it (named after its cache)', async () => {
    const target = await resolveTarget(await table(), gold, 'orders');

    expect(target).toMatchObject({ policyId: 'gold', cacheName: 'orders', namePrefix: 'orders' });
    expect(target).not.toHaveProperty('targets');
  });

  it('refuses a cache never enrolled as a target of the policy, saying reconcile enrols', async () => {
    expect(await resolveTarget(await table(), gold, 'search')).toBe(
      'cache "search" is not a target of policy gold: never enrolled (its selector did not choose it, or discovery has not run since the cache or the policy changed: reconcile enrols)',
    );
  });

  it('refuses a RETIRED target, saying since when and why', async () => {
    expect(await resolveTarget(await table(), gold, 'carts')).toBe(
      'cache "carts" is no longer a target of policy gold: RETIRED since 2026-03-02T10:00:00.000Z: the cache no longer exists in the account and region',
    );
  });

  it('refuses an ACTIVE target of another policy’s', async () => {
    const silver = fleetPolicy('silver', { tags: { tier: 'silver' } });

    expect(await resolveTarget(await table(), silver, 'orders')).toMatch(
      /^cache "orders" is not a target of policy silver: never enrolled/,
    );
  });

  it('refuses a target enrolled in another account or region than the policy names now, and keeps the policy’s placement', async () => {
    const targets = await table();
    const moved = parsePolicy({
      policyId: 'gold',
      schedule: 'cron(0 3 * * ? *)',
      targets: { tags: { tier: 'gold' } },
      account: '210987654321',
      region: 'us-east-1',
    });

    expect(await resolveTarget(targets, moved, 'orders')).toBe(
      'cache "orders" was enrolled as a target of policy gold in this account and region, but the policy names account 210987654321, region us-east-1 now: reconcile retires it and enrols the cache there',
    );
    await targets.enrol({
      policyId: 'gold',
      cacheName: 'search',
      nextRunAt: AT,
      enrolledAt: AT,
      account: '210987654321',
      region: 'us-east-1',
    });
    expect(await resolveTarget(targets, moved, 'search')).toMatchObject({
      cacheName: 'search',
      account: '210987654321',
      region: 'us-east-1',
    });
  });
});
