import {
  AddTagsToResourceCommand,
  CreateServerlessCacheSnapshotCommand,
  DeleteServerlessCacheSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  type ElastiCacheClient,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import type {
  CacheInfo,
  CreateSnapshotRequest,
  SnapshotGateway,
  SnapshotInfo,
} from '#lib/snapshots/snapshot-gateway';
import { classifyElastiCacheError } from './classify-error';
import { toCacheInfo, toSnapshotInfo } from './snapshot-mapping';

export { classifyElastiCacheError } from './classify-error';
export { createElastiCacheClient } from './client';

/** DescribeServerlessCacheSnapshots' largest page. */
const SNAPSHOT_PAGE_SIZE = 50;

async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw classifyElastiCacheError(err);
  }
}

/** `undefined` instead of a `not-found` fault: the answer to "does it exist?". */
async function unlessNotFound<T>(request: () => Promise<T>): Promise<T | undefined> {
  try {
    return await send(request);
  } catch (err) {
    if (classifyElastiCacheError(err).faultClass === 'not-found') return undefined;
    throw err;
  }
}

/**
 * SnapshotGateway on the ElastiCache API. Every error leaves as a SnapshotServiceError with a fault class
 * (classifyElastiCacheError). The client's standard retry (3 attempts) runs first, inside each call; the
 * orchestrator's retry by fault class comes on top.
 */
export class ElastiCacheSnapshotGateway implements SnapshotGateway {
  constructor(private readonly client: ElastiCacheClient) {}

  async createSnapshot(request: CreateSnapshotRequest): Promise<SnapshotInfo> {
    const tags = Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value }));
    const command = new CreateServerlessCacheSnapshotCommand({
      ServerlessCacheSnapshotName: request.snapshotName,
      ServerlessCacheName: request.cacheName,
      KmsKeyId: request.kmsKeyId,
      Tags: tags.length > 0 ? tags : undefined,
    });
    const output = await send(() => this.client.send(command));
    return toSnapshotInfo(output.ServerlessCacheSnapshot, request.cacheName);
  }

  async listSnapshots(cacheName: string): Promise<SnapshotInfo[]> {
    const snapshots: SnapshotInfo[] = [];
    let NextToken: string | undefined;
    do {
      const command = new DescribeServerlessCacheSnapshotsCommand({
        ServerlessCacheName: cacheName,
        MaxResults: SNAPSHOT_PAGE_SIZE,
        NextToken,
      });
      const output = await send(() => this.client.send(command));
      for (const snapshot of output.ServerlessCacheSnapshots ?? []) {
        snapshots.push(toSnapshotInfo(snapshot, cacheName));
      }
      NextToken = output.NextToken;
    } while (NextToken !== undefined && NextToken !== '');
    return snapshots;
  }

  async getSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined> {
    const command = new DescribeServerlessCacheSnapshotsCommand({
      ServerlessCacheSnapshotName: snapshotName,
    });
    const output = await unlessNotFound(() => this.client.send(command));
    const snapshot = output?.ServerlessCacheSnapshots?.[0];
    return snapshot === undefined ? undefined : toSnapshotInfo(snapshot);
  }

  async deleteSnapshot(snapshotName: string): Promise<void> {
    const command = new DeleteServerlessCacheSnapshotCommand({ ServerlessCacheSnapshotName: snapshotName });
    await send(() => this.client.send(command));
  }

  async listTags(arn: string): Promise<Record<string, string>> {
    const output = await send(() => this.client.send(new ListTagsForResourceCommand({ ResourceName: arn })));
    const tags: Record<string, string> = {};
    for (const tag of output.TagList ?? []) {
      if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    }
    return tags;
  }

  async tagSnapshot(arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await send(() => this.client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags })));
  }

  async getCache(cacheName: string): Promise<CacheInfo | undefined> {
    const command = new DescribeServerlessCachesCommand({ ServerlessCacheName: cacheName });
    const output = await unlessNotFound(() => this.client.send(command));
    const cache = output?.ServerlessCaches?.[0];
    return cache === undefined ? undefined : toCacheInfo(cache);
  }
}
