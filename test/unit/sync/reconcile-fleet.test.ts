import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { METRIC, metrics } from '#lib/observability';
import type { PolicyItem } from '#lib/policy/types';
import { type ReconcileDeps, reconcilePolicies } from '#lib/sync/reconcile';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';
import { collect } from '#test/unit/adapters/contract/fixtures';

const GOLD: PolicyItem = {
  policyId: 'gold',
  schedule: 'cron(0 3 * * ? *)',
  targets: { tags: { tier: 'gold' } },
};
const SEARCH: PolicyItem = { policyId: 'search', schedule: 'rate(6 hours)', cacheName: 'search' };

function arrange() {
  const gateway = new FakeSnapshotGateway();
  gateway.addCache('orders', { tags: { tier: 'gold' } });
  gateway.addCache('search', { tags: { tier: 'silver' } });
  gateway.addCache('scratch', { tags: { 'snapshot-orchestrator-exclude': 'true' } });
  const policies = new InMemoryPolicyStore();
  const table = new InMemoryTargetTable();
  const time = new FakeTime('2025-03-01T10:00:00.000Z');
  const deps: ReconcileDeps = {
    policies,
    runs: new InMemoryRunStore(),
    targets: targetStoreOf(policies, table),
    placements: new FakePlacements(gateway, time.clock),
    clock: time.clock,
    settings: DEPLOYED_SETTINGS,
  };
  const put = async (item: PolicyItem) => {
    await policies.put(item);
    await syncPolicyItem(deps, item);
  };
  const active = async () =>
    (await collect(table.listByPolicy('gold')))
      .filter((target) => target.state === 'ACTIVE')
      .map((target) => target.cacheName);
  return { gateway, table, time, deps, put, active };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reconcile over the fleet', () => {
  it('enrols a cache created or tagged since the last pass, and retires one deleted, in one pass', async () => {
    const { gateway, time, deps, put, active, table } = arrange();
    await put(GOLD);
    gateway.addCache('ledger', { tags: { tier: 'gold' } });
    gateway.setCacheTags('search', { tier: 'gold' });
    gateway.removeCache('orders');
    time.set('2025-03-01T10:15:00.000Z');

    const summary = await reconcilePolicies(deps);

    expect(await active()).toEqual(['ledger', 'search']);
    expect(summary).toMatchObject({ targetsEnrolled: 2, targetsRetired: 1 });
    expect(await table.get({ policyId: 'gold', cacheName: 'ledger' })).toMatchObject({
      nextRunAt: '2025-03-02T03:00:00.000Z',
      enrolledAt: '2025-03-01T10:15:00.000Z',
    });
  });

  it('lists the caches once per pass, however many policies it judges', async () => {
    const { gateway, deps, put } = arrange();
    await put(GOLD);
    await put({ ...GOLD, policyId: 'gold-too' });
    await put(SEARCH);
    const before = gateway.count('listCaches');

    await reconcilePolicies(deps);

    expect(gateway.count('listCaches') - before).toBe(1);
  });

  it('counts the caches no ACTIVE policy covers as UnprotectedCaches, not the opted-out one', async () => {
    const { deps, put } = arrange();
    const counted = vi.spyOn(metrics, 'addMetric');
    await put(SEARCH);

    const summary = await reconcilePolicies(deps);

    expect(summary.unprotectedCaches).toBe(1);
    expect(counted).toHaveBeenCalledWith(METRIC.UnprotectedCaches, expect.anything(), 1);
  });

  it('counts a cache enrolled by an ACTIVE targets policy as covered', async () => {
    const { deps, put } = arrange();
    await put(GOLD);
    await put(SEARCH);

    expect((await reconcilePolicies(deps)).unprotectedCaches).toBe(0);
  });

  it('changes no target and emits no coverage when the caches cannot be listed', async () => {
    const { gateway, deps, put, active } = arrange();
    await put(GOLD);
    gateway.removeCache('orders');
    const counted = vi.spyOn(metrics, 'addMetric');
    gateway.failNext('listCaches', new Error('network down'));

    const summary = await reconcilePolicies(deps);

    expect(await active()).toEqual(['orders']);
    expect(summary.unprotectedCaches).toBeUndefined();
    expect(counted).not.toHaveBeenCalledWith(METRIC.UnprotectedCaches, expect.anything(), expect.anything());
  });
});
