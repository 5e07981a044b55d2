/**
 * CreateServerlessCache (also restoring a snapshot) and DeleteServerlessCache, rule by rule, with the faults
 * of the service model. A new cache is `creating` until the clock passes `cacheCreationMs`, then `available`
 * (or `create-failed` when a test injected it); a deleted one is `deleting`, then gone after `cacheDeletionMs`.
 */
import type { EmulatorCache } from '#local/emulator/types';
import { type Partition, parseResourceArn } from './arns';
import type { CacheRegistry } from './cache-registry';
import { checkCacheName, checkTags, requireParameter, type TagInput } from './input-rules';
import { ENGINE_VERSIONS, type SnapshotRecord, snapshotStatusAt, toCacheView } from './records';
import { faults } from './service-fault';
import type { SnapshotOperations } from './snapshot-operations';
import type { SnapshotStore } from './snapshot-store';

/** Timings and the quota of caches; mutable so a running emulator can be re-tuned. */
export interface CacheRules {
  cacheCreationMs: number;
  cacheDeletionMs: number;
  cacheLimit: number;
}

export interface CreateCacheInput {
  readonly name: string | undefined;
  readonly engine: string | undefined;
  readonly majorEngineVersion: string | undefined;
  readonly description: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly subnetIds: readonly string[] | undefined;
  readonly securityGroupIds: readonly string[] | undefined;
  readonly snapshotArns: readonly string[] | undefined;
  readonly tags: readonly TagInput[];
}

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const S3_OBJECT_ARN = /^arn:aws[\w-]*:s3:::[^/]+\/.+$/;

function checkIds(member: string, ids: readonly string[] | undefined, pattern: RegExp): void {
  for (const id of ids ?? []) {
    if (!pattern.test(id)) throw faults.invalidParameterValue(`Invalid ${member}: ${id}`);
  }
}

/** Numeric order of major versions (`7` < `8`, `1.6` < `1.10`). */
function compareMajor(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export class CacheOperations {
  /** CreateServerlessCache calls still to end `create-failed` (a test's injection), consumed in order. */
  pendingCreateFailures = 0;

  constructor(
    private readonly partition: Partition,
    private readonly clock: () => Date,
    private readonly caches: CacheRegistry,
    private readonly store: SnapshotStore,
    private readonly snapshots: SnapshotOperations,
    private readonly rules: CacheRules,
  ) {}

  create(input: CreateCacheInput): EmulatorCache {
    const name = requireParameter('ServerlessCacheName', input.name).toLowerCase();
    const engine = requireParameter('Engine', input.engine).toLowerCase();
    checkCacheName(name);
    const versions = ENGINE_VERSIONS[engine];
    if (!versions) throw faults.invalidParameterValue(`Invalid Engine: ${input.engine}`);
    if (input.majorEngineVersion !== undefined && !(input.majorEngineVersion in versions)) {
      throw faults.invalidParameterValue(
        `Invalid MajorEngineVersion ${input.majorEngineVersion} for engine ${engine}.`,
      );
    }
    if ((input.description ?? '').length > 255) {
      throw faults.invalidParameterValue('Description must be at most 255 characters long.');
    }
    const tags = checkTags(input.tags);
    checkIds('SubnetId', input.subnetIds, SUBNET_ID);
    checkIds('SecurityGroupId', input.securityGroupIds, SECURITY_GROUP_ID);
    if (this.caches.find(name)) throw faults.cacheAlreadyExists(name);
    const source = this.restoreSource(engine, input.snapshotArns ?? []);
    const majorEngineVersion = this.majorVersionOf(engine, input.majorEngineVersion, source);
    if (this.caches.count() >= this.rules.cacheLimit) throw faults.cacheQuota(this.rules.cacheLimit);
    const now = this.clock();
    const fails = this.pendingCreateFailures > 0;
    if (fails) this.pendingCreateFailures -= 1;
    const record = this.caches.add({
      name,
      engine,
      majorEngineVersion,
      status: 'creating',
      transition: {
        at: new Date(now.getTime() + this.rules.cacheCreationMs),
        to: fails ? 'create-failed' : 'available',
      },
      tags,
      bytesUsed: source?.bytesUsedForCache,
      description: input.description,
      subnetIds: input.subnetIds?.length ? input.subnetIds : undefined,
      securityGroupIds: input.securityGroupIds?.length ? input.securityGroupIds : undefined,
      kmsKeyId: input.kmsKeyId || undefined,
      restoredFrom: input.snapshotArns ?? [],
    });
    return toCacheView(record);
  }

  /** Deletes an `available` or `create-failed` cache, after taking the final snapshot when one is named. */
  delete(nameInput: string | undefined, finalSnapshotName: string | undefined): EmulatorCache {
    const cache = this.caches.get(requireParameter('ServerlessCacheName', nameInput));
    if (cache.status !== 'available' && cache.status !== 'create-failed') {
      throw faults.cacheState(`Serverless cache ${cache.name} is ${cache.status}; it cannot be deleted now.`);
    }
    const now = this.clock();
    if (this.store.hasCreating(cache.name, now)) {
      throw faults.cacheState(`A snapshot of serverless cache ${cache.name} is in progress.`);
    }
    if (finalSnapshotName) {
      if (cache.status !== 'available') {
        throw faults.invalidParameterCombination(
          `A final snapshot cannot be taken of serverless cache ${cache.name} in status ${cache.status}.`,
        );
      }
      this.snapshots.create({
        snapshotName: finalSnapshotName,
        cacheName: cache.name,
        kmsKeyId: undefined,
        tags: [],
      });
    }
    cache.status = 'deleting';
    cache.transition = { at: new Date(now.getTime() + this.rules.cacheDeletionMs), to: 'gone' };
    return toCacheView(cache);
  }

  /**
   * The serverless snapshot a restore reads, checked: it exists in this account and region, is `available`,
   * and its engine restores into `engine` (the same engine, or a Redis OSS snapshot into Valkey, the
   * documented upgrade path). RDB objects in S3 (`arn:aws:s3:::bucket/key`) are accepted as the service does,
   * without reading them.
   */
  private restoreSource(engine: string, arns: readonly string[]): SnapshotRecord | undefined {
    const snapshotArns = arns.filter((arn) => !S3_OBJECT_ARN.test(arn));
    if (snapshotArns.length > 0 && snapshotArns.length !== arns.length) {
      throw faults.invalidParameterCombination(
        'Restore either serverless snapshots or RDB files in S3, not both.',
      );
    }
    if (snapshotArns.length > 1) {
      throw faults.invalidParameterValue('Only one serverless cache snapshot can be restored into a cache.');
    }
    if (arns.length > 0 && snapshotArns.length === 0 && engine === 'memcached') {
      throw faults.invalidParameterCombination(
        'RDB files can be restored into Valkey or Redis OSS caches only.',
      );
    }
    const [arn] = snapshotArns;
    if (arn === undefined) return undefined;
    const parsed = parseResourceArn(this.partition, arn);
    if (parsed?.type !== 'serverlesscachesnapshot')
      throw faults.invalidParameterValue(`Invalid SnapshotArn: ${arn}`);
    const snapshot = parsed.local ? this.store.find(parsed.name) : undefined;
    if (!snapshot) throw faults.snapshotNotFound(parsed.name);
    const status = snapshotStatusAt(snapshot, this.clock());
    if (status !== 'available') throw faults.snapshotState(snapshot.name, status);
    if (snapshot.engine !== engine && !(snapshot.engine === 'redis' && engine === 'valkey')) {
      throw faults.invalidParameterCombination(
        `Snapshot ${snapshot.name} of engine ${snapshot.engine} cannot be restored into a ${engine} cache.`,
      );
    }
    return snapshot;
  }

  /** The requested major version, else the snapshot's (same engine) or the engine's default; never older. */
  private majorVersionOf(engine: string, requested: string | undefined, source: SnapshotRecord | undefined) {
    const sameEngine = source?.engine === engine;
    const major = requested ?? (sameEngine ? source.majorEngineVersion : undefined);
    if (source && sameEngine && major !== undefined && compareMajor(major, source.majorEngineVersion) < 0) {
      throw faults.invalidParameterCombination(
        `Snapshot ${source.name} of ${engine} ${source.majorEngineVersion} cannot be restored into the older major version ${major}.`,
      );
    }
    return major;
  }
}
