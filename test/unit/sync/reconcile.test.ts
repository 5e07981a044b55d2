import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { StoreError } from '#lib/errors';
import type { SyncResult } from '#lib/policy/policy-store';
import type { PolicyItem } from '#lib/policy/types';
import { type ReconcileDeps, reconcilePolicies } from '#lib/sync/reconcile';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';

/** Reconcile over `policies` and `gateway` on `time`, with an empty run store. */
function depsOf(policies: InMemoryPolicyStore, gateway: FakeSnapshotGateway, time: FakeTime): ReconcileDeps {
  return {
    policies,
    runs: new InMemoryRunStore(),
    targets: targetStoreOf(policies, new InMemoryTargetTable()),
    placements: new FakePlacements(gateway, time.clock),
    clock: time.clock,
    settings: DEPLOYED_SETTINGS,
  };
}

/** The in-memory policy store, except that sync results for `failing` policies cannot be written. */
class FlakyPolicyStore extends InMemoryPolicyStore {
  readonly failing = new Set<string>();

  override async writeSyncResult(basis: PolicyItem, result: SyncResult): Promise<void> {
    if (this.failing.has(basis.policyId)) throw new StoreError(`policies table unavailable (scripted)`);
    return super.writeSyncResult(basis, result);
  }
}

async function stored(policies: InMemoryPolicyStore, policyId: string): Promise<PolicyItem> {
  const item = await policies.get(policyId);
  if (!item) throw new Error(`no policy ${policyId}`);
  return item;
}

describe('reconcilePolicies', () => {
  it('syncs only the items that need it and goes on past one that fails', async () => {
    const policies = new FlakyPolicyStore();
    const gateway = new FakeSnapshotGateway(['orders', 'sessions', 'carts', 'queues']);
    const time = new FakeTime('2025-03-01T10:20:00.000Z');
    const deps = depsOf(policies, gateway, time);
    await policies.put(policyItem('in-sync', { cacheName: 'orders' }));
    await syncPolicyItem(deps, await stored(policies, 'in-sync'));
    const inSync = await stored(policies, 'in-sync');
    await policies.put(policyItem('failing', { cacheName: 'carts' }));
    await policies.put(policyItem('missed-by-stream', { cacheName: 'sessions' }));
    await policies.put(policyItem('after-failing', { cacheName: 'queues' }));
    policies.failing.add('failing');
    time.advance(15 * 60_000);

    const summary = await reconcilePolicies(deps);

    expect(summary).toMatchObject({ scanned: 4, synced: 2, failed: 1 });
    expect(await stored(policies, 'in-sync')).toEqual(inSync);
    expect(gateway.count('getCache', 'orders')).toBe(1);
    expect((await stored(policies, 'missed-by-stream')).state).toBe('ACTIVE');
    expect((await stored(policies, 'after-failing')).state).toBe('ACTIVE');
    expect((await stored(policies, 'failing')).state).toBeUndefined();
  });

  it('activates a policy that was INVALID only because its cache did not exist yet, once it does', async () => {
    const policies = new InMemoryPolicyStore();
    const gateway = new FakeSnapshotGateway([]);
    const time = new FakeTime('2025-03-01T10:20:00.000Z');
    const deps = depsOf(policies, gateway, time);
    await policies.put(policyItem('orders-hourly'));
    await syncPolicyItem(deps, await stored(policies, 'orders-hourly'));
    expect((await stored(policies, 'orders-hourly')).state).toBe('INVALID');
    gateway.addCache('orders');

    const summary = await reconcilePolicies(deps);

    expect(summary).toMatchObject({ scanned: 1, synced: 1, failed: 0 });
    expect(await stored(policies, 'orders-hourly')).toMatchObject({
      state: 'ACTIVE',
      nextRunAt: '2025-03-01T11:00:00.000Z',
    });
  });

  it('leaves an INVALID policy with a broken rule alone while its record is unchanged', async () => {
    const policies = new InMemoryPolicyStore();
    const gateway = new FakeSnapshotGateway(['orders']);
    const time = new FakeTime('2025-03-01T10:20:00.000Z');
    const deps = depsOf(policies, gateway, time);
    await policies.put(policyItem('orders-hourly', { schedule: 'rate(5 minutes)' }));
    await syncPolicyItem(deps, await stored(policies, 'orders-hourly'));
    const invalid = await stored(policies, 'orders-hourly');

    const summary = await reconcilePolicies(deps);

    expect(summary).toMatchObject({ scanned: 1, synced: 0, failed: 0 });
    expect(await stored(policies, 'orders-hourly')).toEqual(invalid);
  });
});
