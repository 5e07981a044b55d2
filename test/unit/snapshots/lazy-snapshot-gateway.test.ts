import { describe, expect, it } from 'vitest';
import { lazySnapshotGateway } from '#lib/snapshots/lazy-snapshot-gateway';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';

/** A loader that counts its calls and fails the first `failures` of them. */
function countingLoader(gateway: SnapshotGateway, failures = 0) {
  const loader = {
    loads: 0,
    load: async (): Promise<SnapshotGateway> => {
      loader.loads += 1;
      if (loader.loads <= failures) throw new Error('module failed to load');
      return gateway;
    },
  };
  return loader;
}

describe('lazySnapshotGateway', () => {
  it('loads nothing until the first call', () => {
    const loader = countingLoader(new FakeSnapshotGateway());

    lazySnapshotGateway(loader.load);

    expect(loader.loads).toBe(0);
  });

  it('loads the real gateway once, on the first call, and forwards every call to it', async () => {
    const fake = new FakeSnapshotGateway(['orders']);
    const loader = countingLoader(fake);
    const gateway = lazySnapshotGateway(loader.load);

    const [cache, snapshots] = await Promise.all([
      gateway.getCache('orders'),
      gateway.listSnapshots('orders'),
    ]);
    const missing = await gateway.getCache('nope');

    expect(loader.loads).toBe(1);
    expect(cache?.name).toBe('orders');
    expect(snapshots).toEqual([]);
    expect(missing).toBeUndefined();
  });

  it('forwards cache creation and deletion', async () => {
    const fake = new FakeSnapshotGateway(['orders']);
    const gateway = lazySnapshotGateway(countingLoader(fake).load);
    const request = {
      name: 'rt-1',
      engine: 'valkey',
      majorEngineVersion: '8',
      snapshotArns: [],
      subnetIds: undefined,
      securityGroupIds: undefined,
      tags: { 'managed-by': 'cache-snapshot-orchestrator' },
    };

    const created = await gateway.createCache(request);
    const deletions = [await gateway.deleteCache('orders'), await gateway.deleteCache('nope')];

    expect(created).toMatchObject({ name: 'rt-1', status: 'creating' });
    expect(fake.createCacheRequests).toEqual([request]);
    expect(deletions).toEqual(['deleting', 'already-gone']);
  });

  it('tries the load again on the next call after a failed one', async () => {
    const fake = new FakeSnapshotGateway(['orders']);
    const loader = countingLoader(fake, 1);
    const gateway = lazySnapshotGateway(loader.load);

    await expect(gateway.getCache('orders')).rejects.toThrow('module failed to load');
    const cache = await gateway.getCache('orders');

    expect(loader.loads).toBe(2);
    expect(cache?.name).toBe('orders');
  });
});
