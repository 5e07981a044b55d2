import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import type { PolicyItem } from '#lib/policy/types';
import { isInSync, type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const ITEM: PolicyItem = {
  policyId: 'gold-tier',
  schedule: 'cron(0 3 * * ? *)',
  targets: { tags: { tier: 'gold' } },
};

async function sync(item: PolicyItem) {
  const policies = new InMemoryPolicyStore();
  const gateway = new FakeSnapshotGateway();
  const deps: SyncDeps = {
    policies,
    placements: new FakePlacements(gateway),
    clock: new FakeTime('2025-03-01T10:20:00.000Z').clock,
  };
  await policies.put(item);
  await syncPolicyItem(deps, item);
  return { stored: await policies.get(item.policyId), gateway };
}

describe('policy sync of a targets policy', () => {
  it('activates it without a nextRunAt of its own and without looking for a cache', async () => {
    const { stored, gateway } = await sync(ITEM);

    expect(stored).toMatchObject({ state: 'ACTIVE' });
    expect(stored?.nextRunAt).toBeUndefined();
    expect(stored?.stateReason).toBeUndefined();
    expect(gateway.count('getCache')).toBe(0);
  });

  it('counts the ACTIVE item it wrote as in sync, so its own stream record is not synced again', async () => {
    const { stored } = await sync(ITEM);

    expect(stored && isInSync(stored)).toBe(true);
  });

  it('has a tick that finds it due on the policies table clear its nextRunAt, taking no slot', async () => {
    const h = new SchedulerHarness({ start: '2025-03-01T03:00:00.000Z' });
    await putActivePolicy(h.policies, ITEM, '2025-03-01T03:00:00.000Z');

    await h.tick('2025-03-01T03:00:00.000Z');

    expect(await h.nextRunAt('gold-tier')).toBeUndefined();
    expect((await h.policies.get('gold-tier'))?.state).toBe('ACTIVE');
    expect(await runsOf(h.runs, 'gold-tier')).toEqual([]);
    expect(h.gateway.createRequests).toEqual([]);
  });
});
