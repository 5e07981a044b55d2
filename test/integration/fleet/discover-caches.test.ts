import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createElastiCacheClient,
  ElastiCacheSnapshotGateway,
} from '#lib/adapters/elasticache/snapshot-gateway';
import { AdaptiveLimit } from '#lib/adaptive-limit';
import { discoverCaches } from '#lib/fleet/discover-caches';
import { type Emulator, startEmulator } from '#local/emulator/index';
import { noDelayRetries } from '#local/no-delay-retries';

/** Discovery through the real SDK and the emulator's wire protocol: pages, tags, faults. */
describe('discovering the fleet on the emulator', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(() => {
    for (const cache of emulator.caches()) emulator.removeCache(cache.name);
    emulator.resetCalls();
  });

  const gatewayOf = (maxAttempts: number, limit?: AdaptiveLimit) =>
    new ElastiCacheSnapshotGateway(
      createElastiCacheClient(
        { endpoint: emulator.endpoint, retryStrategy: noDelayRetries(maxAttempts) },
        limit,
      ),
    );

  it('lists every cache over several pages with its engine, version, network and current tags', async () => {
    for (let i = 0; i < 120; i += 1) emulator.seedCache({ name: `fleet-${String(i).padStart(3, '0')}` });
    emulator.seedCache({ name: 'orders', engine: 'redis', majorEngineVersion: '7', tags: { tier: 'gold' } });
    emulator.setCacheTags('fleet-007', { tier: 'silver', team: 'web' });
    emulator.removeCache('fleet-008');

    const fleet = await discoverCaches({ snapshots: gatewayOf(1), concurrency: 8 });

    expect(fleet.caches).toHaveLength(120);
    expect(fleet.caches.map((cache) => cache.name)).not.toContain('fleet-008');
    expect(fleet.caches.find((cache) => cache.name === 'fleet-007')?.tags).toEqual({
      tier: 'silver',
      team: 'web',
    });
    const orders = fleet.caches.find((cache) => cache.name === 'orders');
    expect(orders).toMatchObject({
      engine: 'redis',
      majorEngineVersion: '7',
      status: 'available',
      tags: { tier: 'gold' },
    });
    expect(orders?.subnetIds.length).toBeGreaterThan(0);
    expect(orders?.securityGroupIds.length).toBeGreaterThan(0);
    const actions = emulator.calls.map((call) => call.action);
    expect(actions.filter((action) => action === 'DescribeServerlessCaches')).toHaveLength(3);
    expect(actions.filter((action) => action === 'ListTagsForResource')).toHaveLength(120);
  });

  it('keeps a cache whose tag listing fails (even as not found) with the fault code, and reads the others', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) emulator.seedCache({ name, tags: { team: name } });
    emulator.scriptFaults('ListTagsForResource', [
      { kind: 'fault', code: 'ServerlessCacheNotFoundFault', httpStatus: 404, message: 'gone?' },
    ]);

    const fleet = await discoverCaches({ snapshots: gatewayOf(1), concurrency: 1 });

    expect(fleet.caches.map((cache) => [cache.name, cache.tags, cache.tagsError?.code])).toEqual([
      ['alpha', undefined, 'ServerlessCacheNotFoundFault'],
      ['beta', { team: 'beta' }, undefined],
      ['gamma', { team: 'gamma' }, undefined],
    ]);
  });

  it('throws the classified fault when the listing itself fails after the SDK retries', async () => {
    emulator.seedCache({ name: 'alpha' });
    emulator.scriptFaults('DescribeServerlessCaches', [{ kind: 'http500' }, { kind: 'http500' }]);

    await expect(discoverCaches({ snapshots: gatewayOf(2), concurrency: 4 })).rejects.toMatchObject({
      faultClass: 'transient',
    });
  });

  it('makes its calls under the adaptive limit, which learns of a throttle the SDK retried away', async () => {
    for (const name of ['alpha', 'beta']) emulator.seedCache({ name, tags: { team: name } });
    emulator.scriptFaults('ListTagsForResource', [{ kind: 'throttling' }]);
    const limit = new AdaptiveLimit({ maxInFlight: 2, pause: { baseMs: 1, maxMs: 1 } });

    const fleet = await discoverCaches({ snapshots: gatewayOf(3, limit), concurrency: 4 });

    expect(fleet.caches.map((cache) => cache.tags)).toEqual([{ team: 'alpha' }, { team: 'beta' }]);
    expect(limit.callsPerSecond).toBeDefined();
    expect(limit.inFlight).toBe(0);
  });
});
