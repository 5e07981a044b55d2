import { describe, expect, it, vi } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { SnapshotServiceError } from '#lib/errors';
import type { PolicyItem } from '#lib/policy/types';
import { isInSync, type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';
import { collect } from '#test/unit/adapters/contract/fixtures';

const ITEM: PolicyItem = {
  policyId: 'gold-tier',
  schedule: 'cron(0 3 * * ? *)',
  targets: { tags: { tier: 'gold' } },
};

/** A fleet: two gold caches, a silver one, and gold caches excluded three ways. */
function fleet(): FakeSnapshotGateway {
  const gateway = new FakeSnapshotGateway();
  gateway.addCache('orders', { tags: { tier: 'gold' } });
  gateway.addCache('cart', { tags: { tier: 'gold' }, engine: 'redis' });
  gateway.addCache('search', { tags: { tier: 'silver' } });
  gateway.addCache('opted-out', { tags: { tier: 'gold', 'snapshot-orchestrator-exclude': 'true' } });
  gateway.addCache('scratch', { tags: { tier: 'gold', scratch: 'yes' } });
  gateway.addCache('orders-test', { tags: { tier: 'gold' } });
  return gateway;
}

function arrange(gateway = fleet()) {
  const policies = new InMemoryPolicyStore();
  const table = new InMemoryTargetTable();
  const time = new FakeTime('2025-03-01T10:20:00.000Z');
  const deps: SyncDeps = {
    policies,
    targets: { table },
    placements: new FakePlacements(gateway, time.clock),
    clock: time.clock,
  };
  const put = async (item: PolicyItem) => {
    await policies.put(item);
    await syncPolicyItem(deps, item, true);
    return policies.get(item.policyId);
  };
  const targetStates = async () =>
    (await collect(table.listByPolicy(ITEM.policyId))).map(
      (target) => `${target.cacheName}:${target.state}${target.nextRunAt ? `@${target.nextRunAt}` : ''}`,
    );
  return { policies, table, time, gateway, deps, put, targetStates };
}

const SELECTOR = { tags: { tier: 'gold' }, excludeTags: { scratch: '*' }, excludeNames: ['*-test'] };

describe('policy sync of a targets policy', () => {
  it('enrols each cache its selector chooses at the first slot at or after now, and no excluded one', async () => {
    const { put, targetStates, table } = arrange();

    const stored = await put({ ...ITEM, targets: SELECTOR });

    expect(stored).toMatchObject({ state: 'ACTIVE' });
    expect(stored?.nextRunAt).toBeUndefined();
    expect(stored?.stateReason).toBeUndefined();
    expect(await targetStates()).toEqual([
      'cart:ACTIVE@2025-03-02T03:00:00.000Z',
      'orders:ACTIVE@2025-03-02T03:00:00.000Z',
    ]);
    expect(await table.get({ policyId: 'gold-tier', cacheName: 'cart' })).toMatchObject({
      engine: 'redis',
      enrolledAt: '2025-03-01T10:20:00.000Z',
    });
  });

  it('counts the ACTIVE item it wrote as in sync, so its own stream record is not synced again', async () => {
    const { put } = arrange();

    const stored = await put(ITEM);

    expect(stored && isInSync(stored)).toBe(true);
  });

  it('keeps a selector that chooses nothing ACTIVE, with a warning naming how many caches it saw', async () => {
    const { put, targetStates } = arrange();

    const stored = await put({ ...ITEM, targets: { tags: { tier: 'platinum' } } });

    expect(stored?.state).toBe('ACTIVE');
    expect(stored?.stateReason).toBe(
      'warning: targets: chooses none of the 6 serverless caches of the account and region',
    );
    expect(await targetStates()).toEqual([]);
  });

  it('retires a target whose cache was deleted or no longer matches, with the reason, and keeps one whose tags could not be read', async () => {
    const { put, targetStates, gateway, time, table } = arrange();
    gateway.addCache('ledger', { tags: { tier: 'gold' } });
    await put(ITEM);
    gateway.removeCache('orders');
    gateway.setCacheTags('cart', { tier: 'silver' });
    gateway.failNext(
      'listTags',
      new SnapshotServiceError('Throttling', 'transient', 'Rate exceeded'),
      'arn:cache:ledger',
    );
    time.set('2025-03-01T11:00:00.000Z');

    await put({ ...ITEM, startWindowMinutes: 30 });

    expect(await targetStates()).toEqual([
      'cart:RETIRED',
      'ledger:ACTIVE@2025-03-02T03:00:00.000Z',
      'orders:RETIRED',
      'orders-test:ACTIVE@2025-03-02T03:00:00.000Z',
      'scratch:ACTIVE@2025-03-02T03:00:00.000Z',
    ]);
    expect(await table.get({ policyId: 'gold-tier', cacheName: 'orders' })).toMatchObject({
      retiredAt: '2025-03-01T11:00:00.000Z',
      retiredReason: 'the cache no longer exists in the account and region',
    });
    expect((await table.get({ policyId: 'gold-tier', cacheName: 'cart' }))?.retiredReason).toBe(
      'no longer chosen by the selector (tags: wants tier = gold, it has tier = silver)',
    );
  });

  it('retires every target when the policy is disabled, and enrols them again at a new first slot when re-enabled', async () => {
    const { put, targetStates, time, table } = arrange();
    const item = { ...ITEM, targets: SELECTOR };
    await put(item);
    await table.recordSummaries(
      { policyId: 'gold-tier', cacheName: 'orders' },
      { newestSnapshot: { slot: 'x', snapshotName: 's', takenAt: 'x', availableAt: 'x' } },
    );

    await put({ ...item, enabled: false });
    const whileDisabled = await targetStates();
    time.set('2025-03-03T12:00:00.000Z');
    await put({ ...item, enabled: true });

    expect(whileDisabled).toEqual(['cart:RETIRED', 'orders:RETIRED']);
    expect(await table.get({ policyId: 'gold-tier', cacheName: 'orders' })).toMatchObject({
      state: 'ACTIVE',
      nextRunAt: '2025-03-04T03:00:00.000Z',
      newestSnapshot: { snapshotName: 's' },
    });
  });

  it('retires every target when the policy is edited to name one cache, told the version it replaced had targets', async () => {
    const { policies, deps, put, targetStates } = arrange();
    await put(ITEM);
    const edited: PolicyItem = { policyId: ITEM.policyId, schedule: ITEM.schedule, cacheName: 'orders' };
    await policies.put(edited);

    await syncPolicyItem(deps, edited, false, undefined, true);

    expect((await policies.get(ITEM.policyId))?.state).toBe('ACTIVE');
    expect(await targetStates()).toEqual([
      'cart:RETIRED',
      'orders:RETIRED',
      'orders-test:RETIRED',
      'scratch:RETIRED',
    ]);
  });

  it('reads nothing of the targets table when syncing a policy that names one cache and never had targets', async () => {
    const { policies, deps, table } = arrange();
    const listByPolicy = vi.spyOn(table, 'listByPolicy');
    const item: PolicyItem = { policyId: 'orders-daily', schedule: 'rate(1 day)', cacheName: 'orders' };
    await policies.put(item);
    await syncPolicyItem(deps, item);
    await policies.put({ ...item, enabled: false });

    await syncPolicyItem(deps, { ...item, enabled: false });

    expect((await policies.get('orders-daily'))?.state).toBe('DISABLED');
    expect(listByPolicy).not.toHaveBeenCalled();
  });

  it('moves each target to the first slot of an edited schedule', async () => {
    const { put, targetStates } = arrange();
    await put(ITEM);

    await put({ ...ITEM, schedule: 'cron(0 18 * * ? *)' });

    expect(await targetStates()).toEqual(
      [
        'cart:ACTIVE@2025-03-01T18:00:00.000Z',
        'opted-out:ACTIVE@2025-03-01T18:00:00.000Z',
        'orders:ACTIVE@2025-03-01T18:00:00.000Z',
        'orders-test:ACTIVE@2025-03-01T18:00:00.000Z',
        'scratch:ACTIVE@2025-03-01T18:00:00.000Z',
      ].filter((line) => !line.startsWith('opted-out')),
    );
  });

  it('leaves the targets as they were, with a warning, when the caches cannot be listed', async () => {
    const { put, targetStates, gateway } = arrange();
    await put(ITEM);
    gateway.failNext('listCaches', new SnapshotServiceError('Throttling', 'transient', 'Rate exceeded'));

    const stored = await put({ ...ITEM, startWindowMinutes: 30 });

    expect(stored?.state).toBe('ACTIVE');
    expect(stored?.stateReason).toMatch(
      /^warning: targets: the caches could not be listed \(Rate exceeded\)/,
    );
    expect(await targetStates()).toEqual([
      'cart:ACTIVE@2025-03-02T03:00:00.000Z',
      'orders:ACTIVE@2025-03-02T03:00:00.000Z',
      'orders-test:ACTIVE@2025-03-02T03:00:00.000Z',
      'scratch:ACTIVE@2025-03-02T03:00:00.000Z',
    ]);
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
