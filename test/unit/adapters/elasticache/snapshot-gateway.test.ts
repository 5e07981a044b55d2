import {
  AddTagsToResourceCommand,
  CreateServerlessCacheCommand,
  CreateServerlessCacheSnapshotCommand,
  DeleteServerlessCacheCommand,
  DeleteServerlessCacheSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  ElastiCacheClient,
  InvalidServerlessCacheStateFault,
  ListTagsForResourceCommand,
  type ServerlessCache,
  ServerlessCacheAlreadyExistsFault,
  ServerlessCacheNotFoundFault,
  ServerlessCacheQuotaForCustomerExceededFault,
  type ServerlessCacheSnapshot,
  ServerlessCacheSnapshotNotFoundFault,
  ServerlessCacheSnapshotQuotaExceededFault,
} from '@aws-sdk/client-elasticache';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createElastiCacheClient,
  ElastiCacheSnapshotGateway,
} from '#lib/adapters/elasticache/snapshot-gateway';
import { SnapshotServiceError } from '#lib/errors';

const elasticache = mockClient(ElastiCacheClient);
const ARN_PREFIX = 'arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:';
const CACHE_ARN_PREFIX = 'arn:aws:elasticache:us-east-1:123456789012:serverlesscache:';
const notFound = { $metadata: { httpStatusCode: 404 }, message: 'not found' };
const at400 = { $metadata: { httpStatusCode: 400 }, message: 'refused' };
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'];
const GROUPS = ['sg-0123456789abcdef0'];

function sdkCache(name: string, overrides: Partial<ServerlessCache> = {}): ServerlessCache {
  return {
    ServerlessCacheName: name,
    ARN: `${CACHE_ARN_PREFIX}${name}`,
    Status: 'available',
    Engine: 'valkey',
    MajorEngineVersion: '8',
    SubnetIds: SUBNETS,
    SecurityGroupIds: GROUPS,
    CreateTime: new Date('2025-03-01T09:00:00.000Z'),
    ...overrides,
  };
}

function sdkSnapshot(
  name: string,
  overrides: Partial<ServerlessCacheSnapshot> = {},
): ServerlessCacheSnapshot {
  return {
    ServerlessCacheSnapshotName: name,
    ARN: `${ARN_PREFIX}${name}`,
    Status: 'available',
    SnapshotType: 'manual',
    CreateTime: new Date('2025-03-01T10:00:05.000Z'),
    BytesUsedForCache: '1048576',
    ServerlessCacheConfiguration: {
      ServerlessCacheName: 'orders-cache',
      Engine: 'valkey',
      MajorEngineVersion: '8',
    },
    ...overrides,
  };
}

describe('ElastiCacheSnapshotGateway', () => {
  let gateway: ElastiCacheSnapshotGateway;
  beforeEach(() => {
    elasticache.reset();
    gateway = new ElastiCacheSnapshotGateway(createElastiCacheClient());
  });

  it('creates a snapshot with name, cache, key and tags and maps the answer', async () => {
    elasticache.on(CreateServerlessCacheSnapshotCommand).resolves({
      ServerlessCacheSnapshot: sdkSnapshot('orders-20250301-1000-abc', {
        Status: 'creating',
        KmsKeyId: 'key-1',
      }),
    });
    const created = await gateway.createSnapshot({
      snapshotName: 'orders-20250301-1000-abc',
      cacheName: 'orders-cache',
      kmsKeyId: 'key-1',
      tags: { 'managed-by': 'cache-snapshot-orchestrator', team: 'payments' },
    });
    expect(elasticache.commandCalls(CreateServerlessCacheSnapshotCommand)[0]?.args[0].input).toEqual({
      ServerlessCacheSnapshotName: 'orders-20250301-1000-abc',
      ServerlessCacheName: 'orders-cache',
      KmsKeyId: 'key-1',
      Tags: [
        { Key: 'managed-by', Value: 'cache-snapshot-orchestrator' },
        { Key: 'team', Value: 'payments' },
      ],
    });
    expect(created).toEqual({
      name: 'orders-20250301-1000-abc',
      arn: `${ARN_PREFIX}orders-20250301-1000-abc`,
      cacheName: 'orders-cache',
      status: 'creating',
      snapshotType: 'manual',
      createTime: new Date('2025-03-01T10:00:05.000Z'),
      bytesUsedForCache: 1048576,
      kmsKeyId: 'key-1',
      engine: 'valkey',
      majorEngineVersion: '8',
    });
  });

  it('reports a create fault with its fault class', async () => {
    elasticache.on(CreateServerlessCacheSnapshotCommand).rejects(
      new ServerlessCacheSnapshotQuotaExceededFault({
        $metadata: { httpStatusCode: 400 },
        message: 'quota',
      }),
    );
    const request = { snapshotName: 's', cacheName: 'c', kmsKeyId: undefined, tags: {} };
    const error = await gateway.createSnapshot(request).catch((err) => err);
    expect(error).toBeInstanceOf(SnapshotServiceError);
    expect(error).toMatchObject({ code: 'ServerlessCacheSnapshotQuotaExceededFault', faultClass: 'quota' });
  });

  it('reports an answer without a snapshot as a terminal InvalidResponse', async () => {
    elasticache.on(CreateServerlessCacheSnapshotCommand).resolves({});
    const request = { snapshotName: 's', cacheName: 'c', kmsKeyId: undefined, tags: {} };
    await expect(gateway.createSnapshot(request)).rejects.toMatchObject({
      code: 'InvalidResponse',
      faultClass: 'terminal',
    });
  });

  it('lists every snapshot of a cache, 50 per page, until there is no NextToken', async () => {
    elasticache
      .on(DescribeServerlessCacheSnapshotsCommand)
      .resolvesOnce({ ServerlessCacheSnapshots: [sdkSnapshot('a'), sdkSnapshot('b')], NextToken: 'page-2' })
      .resolvesOnce({ ServerlessCacheSnapshots: [sdkSnapshot('c', { BytesUsedForCache: undefined })] });
    const snapshots = await gateway.listSnapshots('orders-cache');
    expect(snapshots.map((snapshot) => snapshot.name)).toEqual(['a', 'b', 'c']);
    expect(snapshots.map((snapshot) => snapshot.bytesUsedForCache)).toEqual([1048576, 1048576, undefined]);
    const inputs = elasticache
      .commandCalls(DescribeServerlessCacheSnapshotsCommand)
      .map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { ServerlessCacheName: 'orders-cache', MaxResults: 50, NextToken: undefined },
      { ServerlessCacheName: 'orders-cache', MaxResults: 50, NextToken: 'page-2' },
    ]);
  });

  it('takes the cache name from the cache asked about when the answer leaves it out', async () => {
    elasticache.on(DescribeServerlessCacheSnapshotsCommand).resolves({
      ServerlessCacheSnapshots: [sdkSnapshot('a', { ServerlessCacheConfiguration: undefined })],
    });
    expect((await gateway.listSnapshots('orders-cache'))[0]?.cacheName).toBe('orders-cache');
  });

  it('gets one snapshot by name, and undefined when it does not exist', async () => {
    elasticache
      .on(DescribeServerlessCacheSnapshotsCommand, { ServerlessCacheSnapshotName: 'here' })
      .resolves({ ServerlessCacheSnapshots: [sdkSnapshot('here')] })
      .on(DescribeServerlessCacheSnapshotsCommand, { ServerlessCacheSnapshotName: 'gone' })
      .rejects(new ServerlessCacheSnapshotNotFoundFault(notFound));
    expect(await gateway.getSnapshot('here')).toMatchObject({ name: 'here', status: 'available' });
    expect(await gateway.getSnapshot('gone')).toBeUndefined();
  });

  it('deletes a snapshot by name and reports a missing one as not-found', async () => {
    elasticache
      .on(DeleteServerlessCacheSnapshotCommand)
      .rejects(new ServerlessCacheSnapshotNotFoundFault(notFound));
    await expect(gateway.deleteSnapshot('gone')).rejects.toMatchObject({
      faultClass: 'not-found',
      httpStatus: 404,
    });
    expect(elasticache.commandCalls(DeleteServerlessCacheSnapshotCommand)[0]?.args[0].input).toEqual({
      ServerlessCacheSnapshotName: 'gone',
    });
  });

  it('lists the tags of a resource as a record', async () => {
    elasticache.on(ListTagsForResourceCommand, { ResourceName: `${ARN_PREFIX}a` }).resolves({
      TagList: [
        { Key: 'managed-by', Value: 'cache-snapshot-orchestrator' },
        { Key: 'empty', Value: undefined },
      ],
    });
    expect(await gateway.listTags(`${ARN_PREFIX}a`)).toEqual({
      'managed-by': 'cache-snapshot-orchestrator',
      empty: '',
    });
  });

  it('adds tags to a snapshot by ARN, and reports a missing one as not-found', async () => {
    elasticache.on(AddTagsToResourceCommand, { ResourceName: `${ARN_PREFIX}a` }).resolves({ TagList: [] });
    elasticache
      .on(AddTagsToResourceCommand, { ResourceName: `${ARN_PREFIX}gone` })
      .rejects(new ServerlessCacheSnapshotNotFoundFault(notFound));

    await gateway.tagSnapshot(`${ARN_PREFIX}a`, { 'snapshot-orchestrator-deployment': 'cso-prod' });
    const missing = await gateway
      .tagSnapshot(`${ARN_PREFIX}gone`, { k: 'v' })
      .catch((error: unknown) => error);

    expect(elasticache.commandCalls(AddTagsToResourceCommand)[0]?.args[0].input).toEqual({
      ResourceName: `${ARN_PREFIX}a`,
      Tags: [{ Key: 'snapshot-orchestrator-deployment', Value: 'cso-prod' }],
    });
    expect(missing).toBeInstanceOf(SnapshotServiceError);
    expect(missing).toMatchObject({ faultClass: 'not-found' });
  });

  it('gets a cache by name with its engine, version, network and creation time; undefined when it does not exist', async () => {
    elasticache
      .on(DescribeServerlessCachesCommand, { ServerlessCacheName: 'orders-cache' })
      .resolves({ ServerlessCaches: [sdkCache('orders-cache')] })
      .on(DescribeServerlessCachesCommand, { ServerlessCacheName: 'gone' })
      .rejects(new ServerlessCacheNotFoundFault(notFound));
    expect(await gateway.getCache('orders-cache')).toEqual({
      name: 'orders-cache',
      status: 'available',
      engine: 'valkey',
      arn: `${CACHE_ARN_PREFIX}orders-cache`,
      majorEngineVersion: '8',
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
      createTime: new Date('2025-03-01T09:00:00.000Z'),
    });
    expect(await gateway.getCache('gone')).toBeUndefined();
  });

  it('lists every cache of the account, 50 per page, with engine, version, status, ARN and network', async () => {
    const sdkCache = (name: string) => ({
      ServerlessCacheName: name,
      Status: 'available',
      Engine: 'redis',
      MajorEngineVersion: '7',
      ARN: `arn:cache:${name}`,
      SubnetIds: ['subnet-1', 'subnet-2'],
      SecurityGroupIds: ['sg-1'],
    });
    elasticache
      .on(DescribeServerlessCachesCommand)
      .resolvesOnce({ ServerlessCaches: [sdkCache('a'), sdkCache('b')], NextToken: 'page-2' })
      .resolvesOnce({ ServerlessCaches: [{ ...sdkCache('c'), Status: 'creating' }], NextToken: '' });

    const caches = await gateway.listCaches();

    expect(caches.map((cache) => [cache.name, cache.status])).toEqual([
      ['a', 'available'],
      ['b', 'available'],
      ['c', 'creating'],
    ]);
    expect(caches[0]).toEqual({
      name: 'a',
      status: 'available',
      engine: 'redis',
      majorEngineVersion: '7',
      arn: 'arn:cache:a',
      subnetIds: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-1'],
    });
    expect(
      elasticache.commandCalls(DescribeServerlessCachesCommand).map((call) => call.args[0].input),
    ).toEqual([
      { MaxResults: 50, NextToken: undefined },
      { MaxResults: 50, NextToken: 'page-2' },
    ]);
  });

  it('reports a failed cache listing with its fault class, and a cache without a name as InvalidResponse', async () => {
    elasticache
      .on(DescribeServerlessCachesCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: {} }))
      .resolvesOnce({ ServerlessCaches: [{ Status: 'available' }] });

    await expect(gateway.listCaches()).rejects.toMatchObject({ code: 'Throttling', faultClass: 'transient' });
    await expect(gateway.listCaches()).rejects.toMatchObject({ code: 'InvalidResponse' });
  });

  it('reads a cache without network lists as empty lists', async () => {
    elasticache.on(DescribeServerlessCachesCommand).resolves({
      ServerlessCaches: [sdkCache('bare', { SubnetIds: undefined, SecurityGroupIds: undefined })],
    });
    expect(await gateway.getCache('bare')).toMatchObject({ subnetIds: [], securityGroupIds: [] });
  });
});

describe('ElastiCacheSnapshotGateway serverless caches', () => {
  let gateway: ElastiCacheSnapshotGateway;
  beforeEach(() => {
    elasticache.reset();
    gateway = new ElastiCacheSnapshotGateway(createElastiCacheClient());
  });
  const restore = {
    name: 'rt-0123456789abcdef',
    engine: 'valkey',
    majorEngineVersion: '8',
    snapshotArns: [`${ARN_PREFIX}orders-20250301-1000-abc`],
    subnetIds: SUBNETS,
    securityGroupIds: GROUPS,
    tags: { 'managed-by': 'cache-snapshot-orchestrator', 'snapshot-orchestrator-restore-test': 'stack' },
  };

  it('creates a cache restoring the snapshots, in the given subnets and groups, tagged on create', async () => {
    elasticache
      .on(CreateServerlessCacheCommand)
      .resolves({ ServerlessCache: sdkCache(restore.name, { Status: 'creating' }) });

    const created = await gateway.createCache(restore);

    expect(elasticache.commandCalls(CreateServerlessCacheCommand)[0]?.args[0].input).toEqual({
      ServerlessCacheName: 'rt-0123456789abcdef',
      Engine: 'valkey',
      MajorEngineVersion: '8',
      SnapshotArnsToRestore: [`${ARN_PREFIX}orders-20250301-1000-abc`],
      SubnetIds: SUBNETS,
      SecurityGroupIds: GROUPS,
      Tags: [
        { Key: 'managed-by', Value: 'cache-snapshot-orchestrator' },
        { Key: 'snapshot-orchestrator-restore-test', Value: 'stack' },
      ],
    });
    expect(created).toMatchObject({ name: restore.name, status: 'creating', engine: 'valkey' });
  });

  it("leaves out empty network lists and an unset version, so the service's defaults apply", async () => {
    elasticache.on(CreateServerlessCacheCommand).resolves({ ServerlessCache: sdkCache('plain') });

    await gateway.createCache({
      ...restore,
      name: 'plain',
      majorEngineVersion: undefined,
      subnetIds: [],
      securityGroupIds: undefined,
      tags: {},
    });

    const input = elasticache.commandCalls(CreateServerlessCacheCommand)[0]?.args[0].input;
    expect(input).toEqual({
      ServerlessCacheName: 'plain',
      Engine: 'valkey',
      MajorEngineVersion: undefined,
      SnapshotArnsToRestore: restore.snapshotArns,
      SubnetIds: undefined,
      SecurityGroupIds: undefined,
      Tags: undefined,
    });
  });

  it.each([
    [
      'a taken name',
      new ServerlessCacheAlreadyExistsFault(at400),
      'ServerlessCacheAlreadyExistsFault',
      'already-exists',
    ],
    [
      'the cache quota',
      new ServerlessCacheQuotaForCustomerExceededFault(at400),
      'ServerlessCacheQuotaForCustomerExceededFault',
      'quota',
    ],
    [
      'a missing snapshot',
      new ServerlessCacheSnapshotNotFoundFault(notFound),
      'ServerlessCacheSnapshotNotFoundFault',
      'not-found',
    ],
  ])('reports %s on create with its code and fault class', async (_, fault, code, faultClass) => {
    elasticache.on(CreateServerlessCacheCommand).rejects(fault);

    await expect(gateway.createCache(restore)).rejects.toMatchObject({ code, faultClass });
  });

  it('reports an answer without a cache as a terminal InvalidResponse', async () => {
    elasticache.on(CreateServerlessCacheCommand).resolves({});

    await expect(gateway.createCache(restore)).rejects.toMatchObject({
      code: 'InvalidResponse',
      faultClass: 'terminal',
    });
  });

  it('deletes a cache by name: deleting, or already gone when there is no such cache', async () => {
    elasticache
      .on(DeleteServerlessCacheCommand, { ServerlessCacheName: 'rt-here' })
      .resolves({ ServerlessCache: sdkCache('rt-here', { Status: 'deleting' }) })
      .on(DeleteServerlessCacheCommand, { ServerlessCacheName: 'rt-gone' })
      .rejects(new ServerlessCacheNotFoundFault(notFound));

    expect(await gateway.deleteCache('rt-here')).toBe('deleting');
    expect(await gateway.deleteCache('rt-gone')).toBe('already-gone');
    expect(elasticache.commandCalls(DeleteServerlessCacheCommand)[0]?.args[0].input).toEqual({
      ServerlessCacheName: 'rt-here',
    });
  });

  it('reports a delete of a cache still creating as busy', async () => {
    elasticache.on(DeleteServerlessCacheCommand).rejects(new InvalidServerlessCacheStateFault(at400));

    await expect(gateway.deleteCache('rt-creating')).rejects.toMatchObject({
      code: 'InvalidServerlessCacheStateFault',
      faultClass: 'busy',
    });
  });
});
