/**
 * The snapshot API of the emulated service, rule by rule: Create, Describe, Delete, ListTagsForResource and
 * AddTagsToResource.
 * Every rule throws the ServiceFault the real service answers; statuses are read from the clock.
 */
import type { EmulatorSnapshot } from '#local/emulator/types';
import { formatSnapshotArn, type Partition, parseResourceArn } from './arns';
import type { CacheRegistry } from './cache-registry';
import {
  checkSnapshotName,
  checkTags,
  parseMaxResults,
  requireParameter,
  type TagInput,
} from './input-rules';
import { type Page, takePage } from './pagination';
import { DAY_MS, snapshotStatusAt, toSnapshotView } from './records';
import { faults } from './service-fault';
import type { SnapshotStore } from './snapshot-store';

/** Limits and timings of the emulated account; mutable so a running emulator can be re-tuned. */
export interface SnapshotRules {
  completionMs: number;
  accountSnapshotLimit: number;
  perCacheDailyLimit: number;
}

export interface CreateSnapshotInput {
  readonly snapshotName: string | undefined;
  readonly cacheName: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly tags: readonly TagInput[];
}

export interface DescribeSnapshotsInput {
  readonly cacheName: string | undefined;
  readonly snapshotName: string | undefined;
  readonly snapshotType: string | undefined;
  readonly maxResults: string | undefined;
  readonly nextToken: string | undefined;
}

export class SnapshotOperations {
  constructor(
    private readonly partition: Partition,
    private readonly clock: () => Date,
    private readonly caches: CacheRegistry,
    private readonly store: SnapshotStore,
    private readonly rules: SnapshotRules,
  ) {}

  create(input: CreateSnapshotInput): EmulatorSnapshot {
    const snapshotName = requireParameter('ServerlessCacheSnapshotName', input.snapshotName);
    const cacheName = requireParameter('ServerlessCacheName', input.cacheName);
    checkSnapshotName('ServerlessCacheSnapshotName', snapshotName);
    const tags = checkTags(input.tags);
    const cache = this.caches.get(cacheName);
    if (this.store.find(snapshotName)) throw faults.snapshotAlreadyExists(snapshotName);
    const now = this.clock();
    if (cache.status !== 'available') {
      throw faults.cacheState(`Serverless cache ${cache.name} is not available (status ${cache.status}).`);
    }
    if (this.store.hasCreating(cache.name, now)) {
      throw faults.cacheState(`A snapshot of serverless cache ${cache.name} is already in progress.`);
    }
    const recent = this.store.manualCreationsSince(cache.name, new Date(now.getTime() - DAY_MS));
    if (recent >= this.rules.perCacheDailyLimit) {
      throw faults.snapshotQuota(
        `Serverless cache ${cache.name} already has ${recent} manual snapshots in the last 24 hours (limit ${this.rules.perCacheDailyLimit}).`,
      );
    }
    if (this.store.manualCount >= this.rules.accountSnapshotLimit) {
      throw faults.snapshotQuota(
        `The account has reached its limit of ${this.rules.accountSnapshotLimit} serverless cache snapshots.`,
      );
    }
    const record = this.store.add({
      name: snapshotName,
      arn: formatSnapshotArn(this.partition, snapshotName),
      cacheName: cache.name,
      snapshotType: 'manual',
      status: 'creating',
      availableAt: new Date(now.getTime() + this.rules.completionMs),
      createTime: now,
      expiryTime: undefined,
      tags,
      kmsKeyId: input.kmsKeyId || undefined,
      bytesUsedForCache: cache.bytesUsed,
      engine: cache.engine,
      majorEngineVersion: cache.majorEngineVersion,
    });
    this.store.recordManualCreation(cache.name, now);
    return toSnapshotView(record, now);
  }

  describe(input: DescribeSnapshotsInput): Page<EmulatorSnapshot> {
    const pageSize = parseMaxResults(input.maxResults);
    const now = this.clock();
    const { cacheName, snapshotName, snapshotType } = input;
    let candidates = this.store.all();
    if (snapshotName !== undefined) {
      const record = this.store.find(snapshotName);
      if (!record) throw faults.snapshotNotFound(snapshotName);
      candidates = [record];
    } else if (cacheName !== undefined) {
      if (!this.caches.find(cacheName)) throw faults.cacheNotFound(cacheName);
      candidates = this.store.ofCache(cacheName);
    }
    const page = takePage(
      candidates,
      (record) =>
        (cacheName === undefined || record.cacheName.toLowerCase() === cacheName.toLowerCase()) &&
        (snapshotType === undefined || record.snapshotType === snapshotType),
      input.nextToken,
      pageSize,
    );
    return { items: page.items.map((record) => toSnapshotView(record, now)), nextToken: page.nextToken };
  }

  /** Deletes an `available` snapshot and answers it with Status `deleting`; it is gone at once. */
  delete(snapshotName: string | undefined): EmulatorSnapshot {
    const name = requireParameter('ServerlessCacheSnapshotName', snapshotName);
    const record = this.store.find(name);
    if (!record) throw faults.snapshotNotFound(name);
    const now = this.clock();
    const status = snapshotStatusAt(record, now);
    if (status !== 'available') throw faults.snapshotState(record.name, status);
    this.store.remove(record.key);
    return toSnapshotView(record, now, 'deleting');
  }

  /** Tags of a serverless snapshot or cache, by ARN. */
  listTags(resourceName: string | undefined): Record<string, string> {
    return { ...this.taggable(resourceName) };
  }

  /**
   * Adds tags to a serverless snapshot or cache, by ARN (a key already there takes the new value), within
   * the 50-tag limit; answers the resource's tags after the change.
   */
  addTags(resourceName: string | undefined, input: readonly TagInput[]): Record<string, string> {
    const tags = this.taggable(resourceName);
    const added = checkTags(input);
    if (Object.keys({ ...tags, ...added }).length > 50) throw faults.tagQuota();
    Object.assign(tags, added);
    return { ...tags };
  }

  /** The live tag record of the snapshot or cache `resourceName` names; NotFound or InvalidARN otherwise. */
  private taggable(resourceName: string | undefined): Record<string, string> {
    const arn = requireParameter('ResourceName', resourceName);
    const parsed = parseResourceArn(this.partition, arn);
    if (parsed?.type === 'serverlesscachesnapshot') {
      const record = parsed.local ? this.store.find(parsed.name) : undefined;
      if (!record) throw faults.snapshotNotFound(parsed.name);
      return record.tags;
    }
    if (parsed?.type === 'serverlesscache') {
      const cache = parsed.local ? this.caches.find(parsed.name) : undefined;
      if (!cache) throw faults.cacheNotFound(parsed.name);
      return cache.tags;
    }
    throw faults.invalidArn(arn);
  }
}
