import { afterEach, describe, expect, it, vi } from 'vitest';
import { discoverCaches } from '#lib/fleet/discover-caches';
import { logger } from '#lib/observability';
import type { CacheInfo } from '#lib/snapshots/snapshot-gateway';
import { FakeSnapshotGateway, serviceFault } from '#test/support/fake-snapshot-gateway';

function fleetGateway() {
  const gateway = new FakeSnapshotGateway();
  gateway.addCache('orders', { tags: { tier: 'gold' } });
  gateway.addCache('carts', { engine: 'redis' });
  gateway.addCache('sessions', { engine: 'memcached', status: 'creating', tags: { team: 'web' } });
  return gateway;
}

describe('discoverCaches', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lists every cache of the account with its engine, status and tags, in the order listed', async () => {
    const gateway = fleetGateway();

    const fleet = await discoverCaches({ snapshots: gateway, concurrency: 4 });

    expect(fleet.caches.map(({ name, engine, status, tags }) => ({ name, engine, status, tags }))).toEqual([
      { name: 'orders', engine: 'valkey', status: 'available', tags: { tier: 'gold' } },
      { name: 'carts', engine: 'redis', status: 'available', tags: {} },
      { name: 'sessions', engine: 'memcached', status: 'creating', tags: { team: 'web' } },
    ]);
    expect(gateway.count('listCaches')).toBe(1);
    expect(gateway.count('listTags')).toBe(3);
  });

  it('keeps a cache whose tags cannot be read with the fault, logs it, and reads the others', async () => {
    const gateway = fleetGateway();
    gateway.failNext('listTags', serviceFault('transient'), 'arn:cache:carts');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});

    const fleet = await discoverCaches({ snapshots: gateway, concurrency: 4 });

    const carts = fleet.caches.find((cache) => cache.name === 'carts');
    expect(carts).toMatchObject({ tags: undefined, tagsError: { code: 'Throttling' } });
    expect(fleet.caches.filter((cache) => cache.tags !== undefined)).toHaveLength(2);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('could not read the tags'),
      expect.objectContaining({ outcome: 'TagsUnreadable', cacheName: 'carts', code: 'Throttling' }),
    );
  });

  it('reports an error that is not a service fault as InternalError with its message', async () => {
    const gateway = fleetGateway();
    gateway.failNext('listTags', new TypeError('socket hang up'), 'arn:cache:orders');
    vi.spyOn(logger, 'warn').mockImplementation(() => {});

    const fleet = await discoverCaches({ snapshots: gateway, concurrency: 1 });

    expect(fleet.caches[0]?.tagsError).toEqual({ code: 'InternalError', message: 'socket hang up' });
  });

  it('throws when the caches cannot be listed: nothing may be concluded from part of a fleet', async () => {
    const gateway = fleetGateway();
    gateway.failNext('listCaches', serviceFault('transient'));

    await expect(discoverCaches({ snapshots: gateway, concurrency: 4 })).rejects.toMatchObject({
      code: 'Throttling',
    });
    expect(gateway.count('listTags')).toBe(0);
  });

  it('reads at most `concurrency` caches’ tags at once', async () => {
    const caches: CacheInfo[] = Array.from({ length: 20 }, (_, i) => ({
      name: `cache-${i}`,
      status: 'available',
      engine: 'valkey',
      majorEngineVersion: '8',
      arn: `arn:cache:cache-${i}`,
      subnetIds: [],
      securityGroupIds: [],
      createTime: undefined,
    }));
    let inFlight = 0;
    let most = 0;
    const snapshots = {
      listCaches: async () => caches,
      listTags: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
        inFlight -= 1;
        return {};
      },
    };

    const fleet = await discoverCaches({ snapshots, concurrency: 3 });

    expect(fleet.caches).toHaveLength(20);
    expect(most).toBe(3);
  });

  it('keeps a cache listed twice once, and one listed without an ARN as unreadable without asking', async () => {
    const orders: CacheInfo = {
      name: 'orders',
      status: 'available',
      engine: 'valkey',
      majorEngineVersion: '8',
      arn: 'arn:cache:orders',
      subnetIds: [],
      securityGroupIds: [],
      createTime: undefined,
    };
    const listTags = vi.fn(async () => ({ tier: 'gold' }));
    vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const snapshots = {
      listCaches: async () => [orders, { ...orders }, { ...orders, name: 'carts', arn: undefined }],
      listTags,
    };

    const fleet = await discoverCaches({ snapshots, concurrency: 2 });

    expect(fleet.caches.map((cache) => [cache.name, cache.tags, cache.tagsError?.code])).toEqual([
      ['orders', { tier: 'gold' }, undefined],
      ['carts', undefined, 'InvalidResponse'],
    ]);
    expect(listTags).toHaveBeenCalledTimes(1);
  });
});
