import {
  CreateServerlessCacheCommand,
  DeleteServerlessCacheCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidServerlessCacheSnapshotStateFault,
  InvalidServerlessCacheStateFault,
  ListTagsForResourceCommand,
  paginateDescribeServerlessCaches,
  ServerlessCacheAlreadyExistsFault,
  ServerlessCacheNotFoundFault,
  ServerlessCacheQuotaForCustomerExceededFault,
  ServerlessCacheSnapshotNotFoundFault,
  TagQuotaPerResourceExceeded,
} from '@aws-sdk/client-elasticache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Fixture,
  httpStatusOf,
  MINUTE,
  rejectionOf,
  START,
  startFixture,
  stopFixture,
} from './emulator-fixture';

const ARN = 'arn:aws:elasticache:us-east-1:123456789012';
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'];
const GROUPS = ['sg-0123456789abcdef0'];

describe('serverless caches: create, restore, delete, describe', () => {
  let fixture: Fixture;

  beforeEach(async () => {
    fixture = await startFixture({ cacheCreationMs: 3 * MINUTE, cacheDeletionMs: 2 * MINUTE });
    fixture.emulator.seedCache({ name: 'orders', engine: 'redis', majorEngineVersion: '7', bytesUsed: 4096 });
    fixture.emulator.seedSnapshot({ name: 'orders-nightly', cacheName: 'orders' });
  });
  afterEach(() => stopFixture(fixture));

  const describeCache = async (name: string) => {
    const output = await fixture.client.send(
      new DescribeServerlessCachesCommand({ ServerlessCacheName: name }),
    );
    return output.ServerlessCaches?.[0];
  };
  const restore = (name: string, extra: Record<string, unknown> = {}) =>
    fixture.client.send(
      new CreateServerlessCacheCommand({
        ServerlessCacheName: name,
        Engine: 'redis',
        SnapshotArnsToRestore: [`${ARN}:serverlesscachesnapshot:orders-nightly`],
        SubnetIds: SUBNETS,
        SecurityGroupIds: GROUPS,
        Tags: [{ Key: 'snapshot-orchestrator-restore-test', Value: 'orders' }],
        ...extra,
      }),
    );

  it('restores a snapshot into a new cache that is creating, then available after the creation time', async () => {
    const created = await restore('orders-restore-1');

    expect(created.ServerlessCache).toMatchObject({
      ServerlessCacheName: 'orders-restore-1',
      ARN: `${ARN}:serverlesscache:orders-restore-1`,
      Status: 'creating',
      Engine: 'redis',
      MajorEngineVersion: '7',
      FullEngineVersion: '7.1',
      CreateTime: START,
      SubnetIds: SUBNETS,
      SecurityGroupIds: GROUPS,
    });
    expect(created.ServerlessCache?.Endpoint).toBeUndefined();
    fixture.clock.advance(3 * MINUTE - 1);
    expect((await describeCache('orders-restore-1'))?.Status).toBe('creating');
    fixture.clock.advance(1);
    const available = await describeCache('orders-restore-1');
    expect(available).toMatchObject({ Status: 'available', SubnetIds: SUBNETS, SecurityGroupIds: GROUPS });
    expect(available?.Endpoint?.Address).toMatch(
      /^orders-restore-1-.*\.serverless\.use1\.cache\.amazonaws\.com$/,
    );
    expect(fixture.emulator.caches().find((cache) => cache.name === 'orders-restore-1')).toMatchObject({
      bytesUsed: 4096,
      restoredFrom: [`${ARN}:serverlesscachesnapshot:orders-nightly`],
      tags: { 'snapshot-orchestrator-restore-test': 'orders' },
    });
    const tags = await fixture.client.send(
      new ListTagsForResourceCommand({ ResourceName: `${ARN}:serverlesscache:orders-restore-1` }),
    );
    expect(tags.TagList).toEqual([{ Key: 'snapshot-orchestrator-restore-test', Value: 'orders' }]);
  });

  it('ends an injected failure create-failed, and lets that cache be deleted', async () => {
    fixture.emulator.failNextCacheCreations();
    await restore('orders-restore-1');
    fixture.clock.advance(3 * MINUTE);

    expect((await describeCache('orders-restore-1'))?.Status).toBe('create-failed');
    const deleted = await fixture.client.send(
      new DeleteServerlessCacheCommand({ ServerlessCacheName: 'orders-restore-1' }),
    );
    expect(deleted.ServerlessCache?.Status).toBe('deleting');
    await restore('orders-restore-2');
    fixture.clock.advance(3 * MINUTE);
    expect((await describeCache('orders-restore-2'))?.Status).toBe('available');
  });

  it('refuses restores of a missing snapshot, one not available, another engine or an older major version', async () => {
    fixture.emulator.seedSnapshot({
      name: 'orders-busy',
      cacheName: 'orders',
      status: 'creating',
      availableAt: null,
    });
    fixture.emulator.seedSnapshot({
      name: 'kv-nightly',
      cacheName: 'kv',
      engine: 'valkey',
      majorEngineVersion: '8',
    });
    const attempt = (snapshot: string, extra: Record<string, unknown> = {}) =>
      rejectionOf(
        restore('orders-restore-1', {
          SnapshotArnsToRestore: [`${ARN}:serverlesscachesnapshot:${snapshot}`],
          ...extra,
        }),
      );

    const missing = await attempt('ghost');
    const otherAccount = await rejectionOf(
      restore('orders-restore-1', {
        SnapshotArnsToRestore: [
          'arn:aws:elasticache:us-east-1:210987654321:serverlesscachesnapshot:orders-nightly',
        ],
      }),
    );
    const busy = await attempt('orders-busy');
    const wrongEngine = await attempt('kv-nightly');
    const olderMajor = await attempt('kv-nightly', { Engine: 'valkey', MajorEngineVersion: '7' });

    expect(missing).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(httpStatusOf(missing)).toBe(404);
    expect(otherAccount).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(busy).toBeInstanceOf(InvalidServerlessCacheSnapshotStateFault);
    expect(wrongEngine).toBeInstanceOf(InvalidParameterCombinationException);
    expect(olderMajor).toBeInstanceOf(InvalidParameterCombinationException);
    expect(fixture.emulator.caches().map((cache) => cache.name)).toEqual(['orders']);
  });

  it('restores a Redis OSS snapshot into Valkey, the documented upgrade path', async () => {
    const created = await restore('orders-valkey', { Engine: 'valkey' });

    expect(created.ServerlessCache).toMatchObject({ Engine: 'valkey', MajorEngineVersion: '8' });
  });

  it('checks names, engines, versions, networks and tags before anything else, and the quota', async () => {
    const create = (input: Record<string, unknown>) =>
      rejectionOf(
        fixture.client.send(
          new CreateServerlessCacheCommand({ ServerlessCacheName: 'new-cache', Engine: 'valkey', ...input }),
        ),
      );

    expect(await create({ ServerlessCacheName: 'a'.repeat(41) })).toBeInstanceOf(
      InvalidParameterValueException,
    );
    expect(await create({ ServerlessCacheName: 'bad--name' })).toBeInstanceOf(InvalidParameterValueException);
    expect(await create({ Engine: 'mysql' })).toBeInstanceOf(InvalidParameterValueException);
    expect(await create({ MajorEngineVersion: '6' })).toBeInstanceOf(InvalidParameterValueException);
    expect(await create({ SubnetIds: ['vpc-123'] })).toBeInstanceOf(InvalidParameterValueException);
    expect(await create({ SecurityGroupIds: ['subnet-0a1b2c3d'] })).toBeInstanceOf(
      InvalidParameterValueException,
    );
    const tags = Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    expect(await create({ Tags: tags })).toBeInstanceOf(TagQuotaPerResourceExceeded);
    expect(await create({ ServerlessCacheName: 'Orders' })).toBeInstanceOf(ServerlessCacheAlreadyExistsFault);
    fixture.emulator.setCacheLimit(1);
    expect(await create({})).toBeInstanceOf(ServerlessCacheQuotaForCustomerExceededFault);
  });

  it('gives a cache created without a network the default subnets and security group, as seeds get', async () => {
    const created = await fixture.client.send(
      new CreateServerlessCacheCommand({ ServerlessCacheName: 'Plain', Engine: 'memcached' }),
    );
    const seeded = await describeCache('orders');

    expect(created.ServerlessCache?.ServerlessCacheName).toBe('plain');
    expect(created.ServerlessCache?.SubnetIds).toHaveLength(3);
    expect(created.ServerlessCache?.SubnetIds).toEqual(seeded?.SubnetIds);
    expect(created.ServerlessCache?.SecurityGroupIds).toEqual([expect.stringMatching(/^sg-[0-9a-f]{17}$/)]);
    expect(created.ServerlessCache?.MajorEngineVersion).toBe('1.6');
  });

  it('deletes a cache: deleting, then gone after the deletion time, its snapshots kept', async () => {
    const deleted = await fixture.client.send(
      new DeleteServerlessCacheCommand({ ServerlessCacheName: 'orders' }),
    );

    expect(deleted.ServerlessCache).toMatchObject({ ServerlessCacheName: 'orders', Status: 'deleting' });
    expect(
      await rejectionOf(
        fixture.client.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: 'orders' })),
      ),
    ).toBeInstanceOf(InvalidServerlessCacheStateFault);
    fixture.clock.advance(2 * MINUTE);
    expect(await rejectionOf(describeCache('orders'))).toBeInstanceOf(ServerlessCacheNotFoundFault);
    expect(fixture.emulator.snapshots().map((snapshot) => snapshot.name)).toEqual(['orders-nightly']);
  });

  it('takes the final snapshot a delete names, and refuses a name already taken', async () => {
    fixture.emulator.seedCache({ name: 'kv' });
    const taken = await rejectionOf(
      fixture.client.send(
        new DeleteServerlessCacheCommand({ ServerlessCacheName: 'kv', FinalSnapshotName: 'orders-nightly' }),
      ),
    );
    await fixture.client.send(
      new DeleteServerlessCacheCommand({ ServerlessCacheName: 'kv', FinalSnapshotName: 'kv-final' }),
    );
    const final = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: 'kv-final' }),
    );

    expect(taken).toMatchObject({ name: 'ServerlessCacheSnapshotAlreadyExistsFault' });
    expect(final.ServerlessCacheSnapshots?.[0]).toMatchObject({ Status: 'creating', SnapshotType: 'manual' });
  });

  it('refuses to delete a cache that is creating or has a snapshot in progress, or does not exist', async () => {
    await restore('orders-restore-1');
    fixture.emulator.seedSnapshot({ name: 'orders-running', cacheName: 'orders', status: 'creating' });
    const remove = (name: string) =>
      rejectionOf(fixture.client.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: name })));

    expect(await remove('orders-restore-1')).toBeInstanceOf(InvalidServerlessCacheStateFault);
    expect(await remove('orders')).toBeInstanceOf(InvalidServerlessCacheStateFault);
    expect(await remove('ghost')).toBeInstanceOf(ServerlessCacheNotFoundFault);
  });

  it('pages through every cache with the paginator and follows tags changed and caches removed by controls', async () => {
    for (let index = 0; index < 120; index += 1) fixture.emulator.seedCache({ name: `fleet-${index}` });
    fixture.emulator.setCacheTags('fleet-7', { tier: 'gold' });
    fixture.emulator.removeCache('fleet-8');
    const names: string[] = [];

    for await (const page of paginateDescribeServerlessCaches({ client: fixture.client, pageSize: 50 }, {})) {
      names.push(...(page.ServerlessCaches ?? []).map((cache) => cache.ServerlessCacheName ?? ''));
    }
    const tags = await fixture.client.send(
      new ListTagsForResourceCommand({ ResourceName: `${ARN}:serverlesscache:fleet-7` }),
    );

    expect(names).toHaveLength(120);
    expect(names).not.toContain('fleet-8');
    expect(tags.TagList).toEqual([{ Key: 'tier', Value: 'gold' }]);
  });
});
