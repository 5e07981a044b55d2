import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElastiCacheSnapshotGateway } from '#lib/adapters/elasticache/snapshot-gateway';
import {
  type Fixture,
  MINUTE,
  rejectionOf,
  START,
  startFixture,
  stopFixture,
} from '#test/integration/emulator/emulator-fixture';

const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'];
const GROUPS = ['sg-0123456789abcdef0'];
const TAGS = {
  'managed-by': 'cache-snapshot-orchestrator',
  'snapshot-orchestrator-restore-test': 'cache-snapshot-orchestrator-local',
};

/** The gateway's cache calls through the real SDK and the emulator's wire protocol. */
describe('ElastiCacheSnapshotGateway serverless caches on the emulator', () => {
  let fixture: Fixture;
  let gateway: ElastiCacheSnapshotGateway;
  let snapshotArn: string;

  beforeEach(async () => {
    fixture = await startFixture({ cacheCreationMs: 3 * MINUTE, cacheDeletionMs: 2 * MINUTE });
    fixture.emulator.seedCache({
      name: 'orders',
      engine: 'redis',
      majorEngineVersion: '7',
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
    });
    snapshotArn = fixture.emulator.seedSnapshot({ name: 'orders-nightly', cacheName: 'orders' }).arn;
    gateway = new ElastiCacheSnapshotGateway(fixture.client);
  });
  afterEach(() => stopFixture(fixture));

  const restore = (name: string, extra: object = {}) =>
    gateway.createCache({
      name,
      engine: 'redis',
      majorEngineVersion: '7',
      snapshotArns: [snapshotArn],
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
      tags: TAGS,
      ...extra,
    });

  it('describes a cache with its engine, major version, subnets, security groups, ARN and creation time', async () => {
    const cache = await gateway.getCache('orders');

    expect(cache).toEqual({
      name: 'orders',
      status: 'available',
      engine: 'redis',
      arn: 'arn:aws:elasticache:us-east-1:123456789012:serverlesscache:orders',
      majorEngineVersion: '7',
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
      createTime: START,
    });
  });

  it('reads the engine and major version a snapshot restores into', async () => {
    expect(await gateway.getSnapshot('orders-nightly')).toMatchObject({
      engine: 'redis',
      majorEngineVersion: '7',
      cacheName: 'orders',
    });
  });

  it('restores a snapshot into a new cache: creating, then available, with the tags it was created with', async () => {
    const created = await restore('rt-0123456789abcdef');
    fixture.clock.advance(3 * MINUTE);
    const later = await gateway.getCache('rt-0123456789abcdef');

    expect(created).toMatchObject({ name: 'rt-0123456789abcdef', status: 'creating', engine: 'redis' });
    expect(later).toMatchObject({ status: 'available', majorEngineVersion: '7', subnetIds: SUBNETS });
    expect(await gateway.listTags(later?.arn ?? '')).toEqual(TAGS);
  });

  it('sees a restore that fails as create-failed', async () => {
    fixture.emulator.failNextCacheCreations();

    await restore('rt-failing');
    fixture.clock.advance(3 * MINUTE);

    expect((await gateway.getCache('rt-failing'))?.status).toBe('create-failed');
  });

  it('deletes a cache (deleting, then gone) and answers already-gone for a cache that is not there', async () => {
    await restore('rt-done');
    fixture.clock.advance(3 * MINUTE);

    expect(await gateway.deleteCache('rt-done')).toBe('deleting');
    expect((await gateway.getCache('rt-done'))?.status).toBe('deleting');
    fixture.clock.advance(2 * MINUTE);
    expect(await gateway.getCache('rt-done')).toBeUndefined();
    expect(await gateway.deleteCache('rt-done')).toBe('already-gone');
  });

  it('refuses to delete a cache still creating, as busy', async () => {
    await restore('rt-young');

    expect(await rejectionOf(gateway.deleteCache('rt-young'))).toMatchObject({
      code: 'InvalidServerlessCacheStateFault',
      faultClass: 'busy',
    });
  });

  it.each([
    ['a taken name', () => restore('orders'), 'ServerlessCacheAlreadyExistsFault', 'already-exists'],
    [
      'a snapshot that does not exist',
      () => restore('rt-x', { snapshotArns: [snapshotArn.replace('orders-nightly', 'nope')] }),
      'ServerlessCacheSnapshotNotFoundFault',
      'not-found',
    ],
    [
      'another engine than the snapshot',
      () => restore('rt-x', { engine: 'memcached', majorEngineVersion: undefined }),
      'InvalidParameterCombination',
      'terminal',
    ],
    [
      'a name longer than 40 characters',
      () => restore(`rt-${'a'.repeat(38)}`),
      'InvalidParameterValue',
      'terminal',
    ],
  ])('classifies %s on create', async (_, call, code, faultClass) => {
    expect(await rejectionOf(call())).toMatchObject({ code, faultClass });
  });

  it('classifies a snapshot still creating as busy, and the cache quota as quota', async () => {
    fixture.emulator.seedSnapshot({ name: 'orders-young', cacheName: 'orders', status: 'creating' });
    const young = snapshotArn.replace('orders-nightly', 'orders-young');
    fixture.emulator.setCacheLimit(1);

    expect(await rejectionOf(restore('rt-a', { snapshotArns: [young] }))).toMatchObject({
      code: 'InvalidServerlessCacheSnapshotStateFault',
      faultClass: 'busy',
    });
    expect(await rejectionOf(restore('rt-b'))).toMatchObject({
      code: 'ServerlessCacheQuotaForCustomerExceededFault',
      faultClass: 'quota',
    });
  });
});
