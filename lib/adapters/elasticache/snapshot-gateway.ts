import {
  AddTagsToResourceCommand,
  CreateServerlessCacheCommand,
  CreateServerlessCacheSnapshotCommand,
  DeleteServerlessCacheCommand,
  DeleteServerlessCacheSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  type ElastiCacheClient,
  ExportServerlessCacheSnapshotCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import type {
  CacheDeletion,
  CacheInfo,
  CreateCacheRequest,
  CreateSnapshotRequest,
  SnapshotGateway,
  SnapshotInfo,
} from '#lib/snapshots/snapshot-gateway';
import { classifyElastiCacheError } from './classify-error';
import { classifyExportError } from './classify-export-error';
import { toCacheInfo, toSnapshotInfo } from './snapshot-mapping';

export { classifyElastiCacheError } from './classify-error';
export { createElastiCacheClient } from './client';

/** The largest page of DescribeServerlessCacheSnapshots and DescribeServerlessCaches (and their default). */
const PAGE_SIZE = 50;

function toTagList(tags: Readonly<Record<string, string>>) {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length > 0 ? list : undefined;
}

/** An empty list as "not given": the service's default instead of an empty member list on the wire. */
function nonEmpty(ids: readonly string[] | undefined): string[] | undefined {
  return ids !== undefined && ids.length > 0 ? [...ids] : undefined;
}

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

/** Every item of a paginated Describe call: pages fetched one after the other until there is no NextToken. */
async function everyPage<T>(
  page: (NextToken: string | undefined) => Promise<{ items: T[]; NextToken?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let NextToken: string | undefined;
  do {
    const output = await page(NextToken);
    items.push(...output.items);
    NextToken = output.NextToken;
  } while (NextToken !== undefined && NextToken !== '');
  return items;
}

/**
 * SnapshotGateway on the ElastiCache API. Every error leaves as a SnapshotServiceError with a fault class
 * (classifyElastiCacheError). The client's standard retry (3 attempts) runs first, inside each call; the
 * orchestrator's retry by fault class comes on top.
 */
export class ElastiCacheSnapshotGateway implements SnapshotGateway {
  constructor(private readonly client: ElastiCacheClient) {}

  async createSnapshot(request: CreateSnapshotRequest): Promise<SnapshotInfo> {
    const command = new CreateServerlessCacheSnapshotCommand({
      ServerlessCacheSnapshotName: request.snapshotName,
      ServerlessCacheName: request.cacheName,
      KmsKeyId: request.kmsKeyId,
      Tags: toTagList(request.tags),
    });
    const output = await send(() => this.client.send(command));
    return toSnapshotInfo(output.ServerlessCacheSnapshot, request.cacheName);
  }

  async listSnapshots(cacheName: string): Promise<SnapshotInfo[]> {
    return everyPage(async (NextToken) => {
      const command = new DescribeServerlessCacheSnapshotsCommand({
        ServerlessCacheName: cacheName,
        MaxResults: PAGE_SIZE,
        NextToken,
      });
      const output = await send(() => this.client.send(command));
      const items = (output.ServerlessCacheSnapshots ?? []).map((snapshot) =>
        toSnapshotInfo(snapshot, cacheName),
      );
      return { items, NextToken: output.NextToken };
    });
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

  async exportSnapshot(snapshotName: string, bucket: string): Promise<SnapshotInfo> {
    const command = new ExportServerlessCacheSnapshotCommand({
      ServerlessCacheSnapshotName: snapshotName,
      S3BucketName: bucket,
    });
    try {
      const output = await this.client.send(command);
      return toSnapshotInfo(output.ServerlessCacheSnapshot);
    } catch (error) {
      throw classifyExportError(error, bucket);
    }
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

  async listCaches(): Promise<CacheInfo[]> {
    return everyPage(async (NextToken) => {
      const command = new DescribeServerlessCachesCommand({ MaxResults: PAGE_SIZE, NextToken });
      const output = await send(() => this.client.send(command));
      return { items: (output.ServerlessCaches ?? []).map(toCacheInfo), NextToken: output.NextToken };
    });
  }

  async createCache(request: CreateCacheRequest): Promise<CacheInfo> {
    const command = new CreateServerlessCacheCommand({
      ServerlessCacheName: request.name,
      Engine: request.engine,
      MajorEngineVersion: request.majorEngineVersion,
      SnapshotArnsToRestore: nonEmpty(request.snapshotArns),
      SubnetIds: nonEmpty(request.subnetIds),
      SecurityGroupIds: nonEmpty(request.securityGroupIds),
      Tags: toTagList(request.tags),
    });
    const output = await send(() => this.client.send(command));
    return toCacheInfo(output.ServerlessCache);
  }

  async deleteCache(cacheName: string): Promise<CacheDeletion> {
    const command = new DeleteServerlessCacheCommand({ ServerlessCacheName: cacheName });
    const output = await unlessNotFound(() => this.client.send(command));
    return output === undefined ? 'already-gone' : 'deleting';
  }
}
