import { describe, expect, it } from 'vitest';
import { checkPolicies, writePolicies } from '#cli/policy-writes';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import type { PolicyItem } from '#lib/policy/types';
import type { SyncDeps } from '#lib/sync/sync-policy';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';

/** The in-memory store, counting the full listings (Scans) made of it, and failing the put of `failingPut`. */
class CountingPolicyStore extends InMemoryPolicyStore {
  scans = 0;
  failingPut: string | undefined;

  override listAll(): AsyncIterable<PolicyItem> {
    this.scans += 1;
    return super.listAll();
  }

  override async put(item: PolicyItem): Promise<void> {
    if (item.policyId === this.failingPut) throw new Error('table unavailable (scripted)');
    return super.put(item);
  }
}

function arrange() {
  const policies = new CountingPolicyStore();
  const deps: SyncDeps = {
    policies,
    targets: { table: new InMemoryTargetTable() },
    placements: new FakePlacements(new FakeSnapshotGateway(['orders', 'billing'])),
    clock: new FakeTime('2025-03-01T10:20:00.000Z').clock,
  };
  return { policies, deps };
}

describe('writePolicies (policy put)', () => {
  it('reads the table once for a file of many policies, not once per policy', async () => {
    const { policies, deps } = arrange();
    const records = Array.from({ length: 50 }, (_, index) =>
      policyItem(`billing-${index}`, { cacheName: 'billing', schedule: 'rate(1 day)' }),
    );

    const writes = await writePolicies(deps, checkPolicies(records));

    expect(writes).toHaveLength(50);
    expect(writes.every((write) => write.state === 'ACTIVE')).toBe(true);
    expect(policies.scans).toBe(1);
  });

  it('judges the 24-in-24 h fit against the policies on the cache, those written just before included', async () => {
    const { policies, deps } = arrange();
    await writePolicies(
      deps,
      checkPolicies([policyItem('orders-hourly', { cacheName: 'orders', schedule: 'cron(0 * * * ? *)' })]),
    );

    const writes = await writePolicies(
      deps,
      checkPolicies([
        policyItem('billing-hourly', { cacheName: 'billing', schedule: 'cron(0 * * * ? *)' }),
        policyItem('billing-daily', { cacheName: 'billing', schedule: 'cron(30 2 * * ? *)' }),
        policyItem('orders-daily', { cacheName: 'orders', schedule: 'cron(30 2 * * ? *)' }),
      ]),
    );

    expect(writes.map((write) => [write.policyId, write.stateReason?.slice(0, 54)])).toEqual([
      ['billing-hourly', undefined],
      ['billing-daily', 'warning: schedule: with 1 other active policy on cache'],
      ['orders-daily', 'warning: schedule: with 1 other active policy on cache'],
    ]);
    expect(policies.scans).toBe(2);
  });

  it('stops at a write that fails, naming the policy and what was written before it', async () => {
    const { policies, deps } = arrange();
    policies.failingPut = 'billing-2';
    const records = [0, 1, 2, 3].map((index) => policyItem(`billing-${index}`, { cacheName: 'billing' }));

    await expect(writePolicies(deps, checkPolicies(records))).rejects.toThrow(
      'writing policy billing-2 failed (written before it: billing-0, billing-1): Error: table unavailable (scripted)',
    );
    expect(await policies.get('billing-3')).toBeUndefined();
  });
});
