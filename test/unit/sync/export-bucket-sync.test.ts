import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { ObjectStoreError } from '#lib/errors';
import { type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';

function arrange(withS3 = true) {
  const policies = new InMemoryPolicyStore();
  const objects = new InMemoryObjectStore();
  const deps: SyncDeps & { placements: FakePlacements } = {
    policies,
    targets: { table: new InMemoryTargetTable() },
    placements: new FakePlacements(new FakeSnapshotGateway(['orders'])),
    clock: new FakeTime('2025-03-01T10:20:00.000Z').clock,
    ...(withS3 ? { exportChecks: { objects, region: 'us-east-1' } } : {}),
  };
  return { policies, objects, deps };
}

const exporting = policyItem('orders-hourly', { export: { bucket: 'orders-exports' } });

describe('policy sync of a policy with export', () => {
  it('marks the policy INVALID with a reason naming export.bucket when the bucket is missing', async () => {
    const ctx = arrange();
    await ctx.policies.put(exporting);

    await syncPolicyItem(ctx.deps, exporting);

    const after = await ctx.policies.get('orders-hourly');
    expect(after?.state).toBe('INVALID');
    expect(after?.stateReason).toBe('export.bucket: bucket "orders-exports" does not exist');
  });

  it('activates the policy once its bucket exists in the region', async () => {
    const ctx = arrange();
    ctx.objects.createBucket('orders-exports', 'us-east-1');
    await ctx.policies.put(exporting);

    await syncPolicyItem(ctx.deps, exporting);

    expect((await ctx.policies.get('orders-hourly'))?.state).toBe('ACTIVE');
  });

  it('judges the bucket of a policy naming a region against that region, not the orchestrator’s', async () => {
    const ctx = arrange();
    ctx.deps.placements.add({ account: '111111111111', region: 'eu-west-1' }, ['orders']);
    ctx.objects.createBucket('orders-exports', 'us-east-1');
    ctx.objects.createBucket('orders-exports-eu', 'eu-west-1');
    const inUs = { ...exporting, region: 'eu-west-1' };
    const inEu = { ...inUs, policyId: 'orders-eu', export: { bucket: 'orders-exports-eu' } };

    await ctx.policies.put(inUs);
    await syncPolicyItem(ctx.deps, inUs);
    await ctx.policies.put(inEu);
    await syncPolicyItem(ctx.deps, inEu);

    expect(await ctx.policies.get('orders-hourly')).toMatchObject({
      state: 'INVALID',
      stateReason: expect.stringContaining("not in the cache's region eu-west-1"),
    });
    expect((await ctx.policies.get('orders-eu'))?.state).toBe('ACTIVE');
  });

  it('checks the bucket of a member account’s policy in that account’s S3', async () => {
    const ctx = arrange();
    const member = { account: '222222222222', region: 'us-east-1' };
    ctx.deps.placements.add(member, ['orders']);
    const memberS3 = new InMemoryObjectStore();
    memberS3.createBucket('member-exports', 'us-east-1');
    const deps = {
      ...ctx.deps,
      exportChecks: { objects: ctx.objects, objectsIn: () => memberS3, region: 'us-east-1' },
    };
    const item = { ...exporting, ...member, export: { bucket: 'member-exports' } };
    await ctx.policies.put(item);

    await syncPolicyItem(deps, item);

    expect((await ctx.policies.get('orders-hourly'))?.state).toBe('ACTIVE');
    expect(ctx.objects.calls).toEqual([]);
  });

  it('throws a transient S3 fault so the record is synced again, writing nothing', async () => {
    const ctx = arrange();
    ctx.objects.failNext(
      'locateBucket',
      new ObjectStoreError('SlowDown', 'transient', 'orders-exports', 'SlowDown on bucket "orders-exports"'),
    );
    await ctx.policies.put(exporting);

    await expect(syncPolicyItem(ctx.deps, exporting)).rejects.toThrow('SlowDown');

    expect((await ctx.policies.get('orders-hourly'))?.state).toBeUndefined();
  });

  it('does not ask S3 when no object store is given', async () => {
    const ctx = arrange(false);
    await ctx.policies.put(exporting);

    await syncPolicyItem(ctx.deps, exporting);

    expect((await ctx.policies.get('orders-hourly'))?.state).toBe('ACTIVE');
    expect(ctx.objects.calls).toEqual([]);
  });
});
