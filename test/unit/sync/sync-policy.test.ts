import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import type { PolicyItem } from '#lib/policy/types';
import { type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway, serviceFault } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';

const NOW = '2025-03-01T10:20:00.000Z';

function arrange(now = NOW) {
  const policies = new InMemoryPolicyStore();
  const gateway = new FakeSnapshotGateway(['orders']);
  const time = new FakeTime(now);
  const deps: SyncDeps = {
    policies,
    targets: { table: new InMemoryTargetTable() },
    placements: new FakePlacements(gateway, time.clock),
    clock: time.clock,
  };
  return { policies, gateway, time, deps };
}

async function stored(policies: InMemoryPolicyStore, policyId: string): Promise<PolicyItem> {
  const item = await policies.get(policyId);
  if (!item) throw new Error(`no policy ${policyId}`);
  return item;
}

/** Writes `item` as an operator would, then syncs what the store holds (as the stream handler does). */
async function writeAndSync(ctx: ReturnType<typeof arrange>, item: PolicyItem) {
  await ctx.policies.put(item);
  return syncPolicyItem(ctx.deps, await stored(ctx.policies, item.policyId));
}

describe('syncPolicyItem', () => {
  it('marks a record that breaks rules INVALID, naming every broken attribute, and keeps it out of the due index', async () => {
    const ctx = arrange();
    const item = policyItem('orders-hourly', { schedule: 'rate(5 minutes)', colour: 'blue' });

    const outcome = await writeAndSync(ctx, item);

    const after = await stored(ctx.policies, 'orders-hourly');
    expect(outcome.action).toBe('written');
    expect(after.state).toBe('INVALID');
    expect(after.stateReason).toContain('schedule:');
    expect(after.stateReason).toContain('colour: unknown attribute');
    expect(after.nextRunAt).toBeUndefined();
    expect(ctx.gateway.count('getCache')).toBe(0);
  });

  it('marks a disabled record DISABLED without a next run', async () => {
    const ctx = arrange();

    await writeAndSync(ctx, policyItem('orders-hourly', { enabled: false }));

    const after = await stored(ctx.policies, 'orders-hourly');
    expect(after).toMatchObject({ state: 'DISABLED', stateReason: 'enabled is false' });
    expect(after.nextRunAt).toBeUndefined();
  });

  it('activates a valid record with the first slot at or after now', async () => {
    const ctx = arrange();

    const outcome = await writeAndSync(ctx, policyItem('orders-hourly'));

    const after = await stored(ctx.policies, 'orders-hourly');
    expect(after).toMatchObject({ state: 'ACTIVE', nextRunAt: '2025-03-01T11:00:00.000Z' });
    expect(after.stateReason).toBeUndefined();
    expect(outcome).toMatchObject({ action: 'written', result: { state: 'ACTIVE' } });
  });

  it('takes a slot that falls exactly on now as the next run', async () => {
    const ctx = arrange('2025-03-01T10:00:00.000Z');

    await writeAndSync(ctx, policyItem('orders-hourly'));

    expect((await stored(ctx.policies, 'orders-hourly')).nextRunAt).toBe('2025-03-01T10:00:00.000Z');
  });

  it('marks a record for a cache that does not exist INVALID, naming cacheName', async () => {
    const ctx = arrange();

    await writeAndSync(ctx, policyItem('orders-hourly', { cacheName: 'no-such-cache' }));

    const after = await stored(ctx.policies, 'orders-hourly');
    expect(after.state).toBe('INVALID');
    expect(after.stateReason).toMatch(/^cacheName: .*no-such-cache/);
    expect(after.nextRunAt).toBeUndefined();
  });

  it('activates the record when the cache cannot be checked', async () => {
    const ctx = arrange();
    ctx.gateway.failNext('getCache', serviceFault('transient'));

    await writeAndSync(ctx, policyItem('orders-hourly'));

    expect((await stored(ctx.policies, 'orders-hourly')).state).toBe('ACTIVE');
  });

  it('leaves an item it has already synced unchanged (the stream record of its own write)', async () => {
    const ctx = arrange();
    await writeAndSync(ctx, policyItem('orders-hourly'));
    const synced = await stored(ctx.policies, 'orders-hourly');
    ctx.time.advance(60_000);

    const outcome = await syncPolicyItem(ctx.deps, synced);

    expect(outcome).toEqual({ policyId: 'orders-hourly', action: 'unchanged' });
    expect(await stored(ctx.policies, 'orders-hourly')).toEqual(synced);
    expect(ctx.gateway.count('getCache')).toBe(1);
  });

  it('leaves an item unchanged after the scheduler moved its nextRunAt and recorded a run', async () => {
    const ctx = arrange();
    await writeAndSync(ctx, policyItem('orders-hourly'));
    await ctx.policies.advanceNextRun(
      'orders-hourly',
      '2025-03-01T11:00:00.000Z',
      '2025-03-01T12:00:00.000Z',
    );
    await ctx.policies.recordLastRun('orders-hourly', {
      slot: '2025-03-01T11:00:00.000Z',
      status: 'REQUESTED',
      at: '2025-03-01T11:00:01.000Z',
    });

    const outcome = await syncPolicyItem(ctx.deps, await stored(ctx.policies, 'orders-hourly'));

    expect(outcome.action).toBe('unchanged');
    expect((await stored(ctx.policies, 'orders-hourly')).nextRunAt).toBe('2025-03-01T12:00:00.000Z');
  });

  it('re-judges an item that looks in sync when forced', async () => {
    const ctx = arrange();
    await writeAndSync(ctx, policyItem('orders-hourly'));

    const outcome = await syncPolicyItem(ctx.deps, await stored(ctx.policies, 'orders-hourly'), true);

    expect(outcome.action).toBe('written');
    expect(ctx.gateway.count('getCache')).toBe(2);
  });

  it('reports stale and writes nothing when the operator edited the record after it was read', async () => {
    const ctx = arrange();
    await ctx.policies.put(policyItem('orders-hourly'));
    const read = await stored(ctx.policies, 'orders-hourly');
    await ctx.policies.put(policyItem('orders-hourly', { enabled: false }));

    const outcome = await syncPolicyItem(ctx.deps, read);

    expect(outcome).toEqual({ policyId: 'orders-hourly', action: 'stale' });
    const after = await stored(ctx.policies, 'orders-hourly');
    expect(after.enabled).toBe(false);
    expect(after.state).toBeUndefined();
    expect(after.nextRunAt).toBeUndefined();
  });

  it('reports stale when the record was deleted after it was read', async () => {
    const ctx = arrange();
    await ctx.policies.put(policyItem('orders-hourly'));
    const read = await stored(ctx.policies, 'orders-hourly');
    await ctx.policies.delete('orders-hourly');

    const outcome = await syncPolicyItem(ctx.deps, read);

    expect(outcome.action).toBe('stale');
    expect(await ctx.policies.get('orders-hourly')).toBeUndefined();
  });

  it('keeps a pending due slot when an edit leaves it a slot of the schedule', async () => {
    const ctx = arrange('2025-03-01T10:00:00.000Z');
    await writeAndSync(ctx, policyItem('orders-hourly'));
    ctx.time.set(NOW);
    const active = await stored(ctx.policies, 'orders-hourly');
    expect(active.nextRunAt).toBe('2025-03-01T10:00:00.000Z');

    await writeAndSync(ctx, { ...active, tags: { team: 'payments' } });

    expect(await stored(ctx.policies, 'orders-hourly')).toMatchObject({
      state: 'ACTIVE',
      nextRunAt: '2025-03-01T10:00:00.000Z',
      tags: { team: 'payments' },
    });
  });

  it('keeps a due pending slot through an edit that changes the schedule (the tick settles it)', async () => {
    const ctx = arrange('2025-03-01T10:00:00.000Z');
    await writeAndSync(ctx, policyItem('orders-hourly'));
    ctx.time.set(NOW);
    const active = await stored(ctx.policies, 'orders-hourly');

    await writeAndSync(ctx, { ...active, schedule: 'cron(30 * * * ? *)' });

    expect((await stored(ctx.policies, 'orders-hourly')).nextRunAt).toBe('2025-03-01T10:00:00.000Z');
  });

  it('re-enabling a disabled record schedules from now, not from an old slot', async () => {
    const ctx = arrange('2025-03-01T08:00:00.000Z');
    await writeAndSync(ctx, policyItem('orders-hourly', { enabled: false }));
    ctx.time.set(NOW);

    await writeAndSync(ctx, { ...(await stored(ctx.policies, 'orders-hourly')), enabled: true });

    expect((await stored(ctx.policies, 'orders-hourly')).nextRunAt).toBe('2025-03-01T11:00:00.000Z');
  });
});
