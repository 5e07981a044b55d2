import {
  AddTagsToResourceCommand,
  CreateServerlessCacheSnapshotCommand,
  DeleteServerlessCacheSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  ServerlessCacheNotFoundFault,
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
const notFound = { $metadata: { httpStatusCode: 404 }, message: 'not found' };

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

  it('gets a cache by name, and undefined when it does not exist', async () => {
    elasticache
      .on(DescribeServerlessCachesCommand, { ServerlessCacheName: 'orders-cache' })
      .resolves({
        ServerlessCaches: [
          { ServerlessCacheName: 'orders-cache', Status: 'available', Engine: 'valkey', ARN: 'arn:cache' },
        ],
      })
      .on(DescribeServerlessCachesCommand, { ServerlessCacheName: 'gone' })
      .rejects(new ServerlessCacheNotFoundFault(notFound));
    expect(await gateway.getCache('orders-cache')).toEqual({
      name: 'orders-cache',
      status: 'available',
      engine: 'valkey',
      arn: 'arn:cache',
    });
    expect(await gateway.getCache('gone')).toBeUndefined();
  });
});
