import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import type { PolicyItem } from '#lib/policy/types';
import { type ReconcileDeps, reconcilePolicies } from '#lib/sync/reconcile';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements, HOME } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';

const MEMBER = '222222222222';
const HOURLY = 'cron(0 * * * ? *)';
const DAILY = 'cron(30 2 * * ? *)';

function arrange() {
  const policies = new InMemoryPolicyStore();
  const placements = new FakePlacements(new FakeSnapshotGateway(['orders']));
  placements.add({ account: MEMBER, region: HOME.region }, ['orders', 'member-only']);
  placements.add({ account: HOME.account, region: 'eu-west-1' }, ['orders']);
  const deps: ReconcileDeps = {
    policies,
    runs: new InMemoryRunStore(),
    targets: targetStoreOf(policies, new InMemoryTargetTable()),
    placements,
    clock: new FakeTime('2025-03-01T10:20:00.000Z').clock,
    settings: DEPLOYED_SETTINGS,
  };
  const put = (item: PolicyItem) => policies.put(item);
  return { policies, placements, deps, put };
}

describe('policy sync in the account and region a policy names', () => {
  it('finds the cache in the policy’s account, not the orchestrator’s', async () => {
    const { policies, deps, put } = arrange();
    await put(policyItem('member', { cacheName: 'member-only', account: MEMBER }));
    await put(policyItem('own', { cacheName: 'member-only' }));

    await syncPolicyItem(deps, (await policies.get('member')) as PolicyItem);
    await syncPolicyItem(deps, (await policies.get('own')) as PolicyItem);

    expect((await policies.get('member'))?.state).toBe('ACTIVE');
    expect(await policies.get('own')).toMatchObject({
      state: 'INVALID',
      stateReason: 'cacheName: no serverless cache named "member-only" in this account and region',
    });
  });

  it('names the account and region in which a cache is missing', async () => {
    const { policies, deps, put } = arrange();
    await put(policyItem('member', { cacheName: 'gone', account: MEMBER }));

    await syncPolicyItem(deps, (await policies.get('member')) as PolicyItem);

    expect((await policies.get('member'))?.stateReason).toBe(
      `cacheName: no serverless cache named "gone" in account ${MEMBER}, region (own)`,
    );
  });

  it('judges the 24-in-24 h fit per account and region: one cache name in two placements is two caches', async () => {
    const { policies, deps, put } = arrange();
    await put(policyItem('own-hourly', { schedule: HOURLY }));
    await put(policyItem('member-daily', { schedule: DAILY, account: MEMBER }));
    await put(policyItem('eu-daily', { schedule: DAILY, region: 'eu-west-1' }));
    await put(policyItem('own-daily', { schedule: DAILY, account: HOME.account, region: HOME.region }));

    await reconcilePolicies(deps);
    await reconcilePolicies(deps);

    expect((await policies.get('member-daily'))?.stateReason).toBeUndefined();
    expect((await policies.get('eu-daily'))?.stateReason).toBeUndefined();
    // Named explicitly, the own account and region are the same cache as the policy that leaves them out.
    expect((await policies.get('own-daily'))?.stateReason).toMatch(/^warning: schedule: with 1 other active/);
  });
});
