import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import type { PolicyItem } from '#lib/policy/types';
import { type ReconcileDeps, reconcilePolicies } from '#lib/sync/reconcile';
import { scanPeersOn, syncPolicyItem } from '#lib/sync/sync-policy';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements, HOME } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';

/** `scan`: sync as the CLI's put does (one scan for the peers); otherwise as the stream does (none). */
function arrange(scan = true) {
  const policies = new InMemoryPolicyStore();
  const deps: ReconcileDeps = {
    policies,
    targets: targetStoreOf(policies, new InMemoryTargetTable()),
    runs: new InMemoryRunStore(),
    placements: new FakePlacements(new FakeSnapshotGateway(['orders', 'billing'])),
    clock: new FakeTime('2025-03-01T10:20:00.000Z').clock,
    settings: DEPLOYED_SETTINGS,
  };
  const putAndSync = async (item: PolicyItem) => {
    await policies.put(item);
    const withPeers = scan ? { ...deps, peersOn: scanPeersOn(policies, HOME) } : deps;
    return syncPolicyItem(withPeers, (await policies.get(item.policyId)) as PolicyItem);
  };
  return { policies, deps, putAndSync };
}

describe('warning when the policies of one cache exceed 24 snapshots a day', () => {
  it('keeps the policy ACTIVE with a warning naming the schedule and the cache', async () => {
    const { policies, putAndSync } = arrange();
    await putAndSync(policyItem('orders-hourly', { cacheName: 'orders', schedule: 'cron(0 * * * ? *)' }));
    await putAndSync(policyItem('orders-daily', { cacheName: 'orders', schedule: 'cron(30 2 * * ? *)' }));

    const daily = await policies.get('orders-daily');
    expect(daily?.state).toBe('ACTIVE');
    expect(daily?.nextRunAt).toBeDefined();
    expect(daily?.stateReason).toMatch(
      /^warning: schedule: with 1 other active policy on cache orders it takes up to 25 snapshots/,
    );
    expect((await policies.get('orders-hourly'))?.stateReason).toBeUndefined();
  });

  it('gives no warning for policies that fit together or are on other caches', async () => {
    const { policies, putAndSync } = arrange();
    await putAndSync(policyItem('orders-two-hourly', { cacheName: 'orders', schedule: 'rate(2 hours)' }));
    await putAndSync(policyItem('orders-daily', { cacheName: 'orders', schedule: 'cron(30 2 * * ? *)' }));
    await putAndSync(policyItem('billing-hourly', { cacheName: 'billing', schedule: 'cron(0 * * * ? *)' }));

    for (const id of ['orders-two-hourly', 'orders-daily', 'billing-hourly']) {
      expect((await policies.get(id))?.stateReason, id).toBeUndefined();
    }
  });

  it('leaves the stream path without a scan, and reconcile adds the warning to what the stream synced', async () => {
    const { policies, deps, putAndSync } = arrange(false);
    await putAndSync(policyItem('orders-hourly', { cacheName: 'orders', schedule: 'cron(0 * * * ? *)' }));
    await putAndSync(policyItem('orders-daily', { cacheName: 'orders', schedule: 'cron(30 2 * * ? *)' }));
    expect((await policies.get('orders-daily'))?.stateReason).toBeUndefined();

    const summary = await reconcilePolicies(deps);

    expect(summary.synced).toBe(2);
    expect((await policies.get('orders-daily'))?.stateReason).toMatch(
      /^warning: schedule: with 1 other active policy/,
    );
    expect((await policies.get('orders-hourly'))?.stateReason).toMatch(
      /^warning: schedule: with 1 other active policy/,
    );
    expect((await reconcilePolicies(deps)).synced).toBe(0);
  });

  it('clears the warning on reconcile once the cache fits again', async () => {
    const { policies, deps, putAndSync } = arrange();
    await putAndSync(policyItem('orders-hourly', { cacheName: 'orders', schedule: 'cron(0 * * * ? *)' }));
    await putAndSync(policyItem('orders-daily', { cacheName: 'orders', schedule: 'cron(30 2 * * ? *)' }));
    await policies.delete('orders-hourly');

    await reconcilePolicies(deps);

    expect((await policies.get('orders-daily'))?.stateReason).toBeUndefined();
  });
});
