/**
 * The serverless caches of one emulated account and region: seeded by tests, created and deleted through the
 * API, read by DescribeServerlessCaches. A cache's pending change (`creating` → `available`, `deleting` →
 * gone) is applied lazily from the clock whenever the cache is read, so nothing needs a timer.
 */
import { createHash } from 'node:crypto';
import type { Random } from '#local/emulator/prng';
import { randomInt } from '#local/emulator/prng';
import type { CacheSeed, EmulatorCache } from '#local/emulator/types';
import { formatCacheArn, type Partition } from './arns';
import { parseMaxResults } from './input-rules';
import { type Page, takePage } from './pagination';
import {
  type CacheRecord,
  type CacheTransition,
  ENGINE_DEFAULTS,
  fullEngineVersionOf,
  toCacheView,
} from './records';
import { faults } from './service-fault';

export interface DescribeCachesInput {
  readonly cacheName: string | undefined;
  readonly maxResults: string | undefined;
  readonly nextToken: string | undefined;
}

/** What a new cache is made of, whether seeded or created through the API. */
export interface NewCache {
  readonly name: string;
  readonly engine: string;
  readonly majorEngineVersion?: string;
  readonly status: string;
  readonly transition?: CacheTransition;
  readonly tags?: Record<string, string>;
  readonly bytesUsed?: number;
  readonly description?: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly kmsKeyId?: string;
  readonly restoredFrom?: readonly string[];
}

/** A resource id (`subnet-…`, `sg-…`) derived from the partition, so defaults are stable across runs. */
function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 17)}`;
}

/** Caches keyed by lowercase name, in insertion order. */
export class CacheRegistry {
  private readonly caches = new Map<string, CacheRecord>();
  private nextSeq = 0;

  constructor(
    private readonly partition: Partition,
    private readonly clock: () => Date,
    private readonly random: Random,
  ) {}

  /** The three subnets and the security group a cache gets when none are named (the default VPC's). */
  get defaultNetwork(): { subnetIds: string[]; securityGroupIds: string[] } {
    const { accountId, region } = this.partition;
    return {
      subnetIds: ['a', 'b', 'c'].map((zone) => stableId('subnet', accountId, region, zone)),
      securityGroupIds: [stableId('sg', accountId, region, 'default')],
    };
  }

  /** Adds a cache, or replaces the one of that name in place (keeping its position and CreateTime). */
  seed(seed: CacheSeed): EmulatorCache {
    return toCacheView(
      this.add({ ...seed, engine: seed.engine ?? 'valkey', status: seed.status ?? 'available' }),
    );
  }

  /** Stores a cache, replacing one of the same name in place. */
  add(cache: NewCache): CacheRecord {
    const key = cache.name.toLowerCase();
    const previous = this.caches.get(key);
    const defaults = ENGINE_DEFAULTS[cache.engine] ?? { major: '1', full: '1.0', port: 6379 };
    const majorEngineVersion = cache.majorEngineVersion ?? defaults.major;
    const network = this.defaultNetwork;
    const record: CacheRecord = {
      name: cache.name,
      arn: formatCacheArn(this.partition, cache.name),
      engine: cache.engine,
      majorEngineVersion,
      fullEngineVersion: fullEngineVersionOf(cache.engine, majorEngineVersion),
      status: cache.status,
      transition: cache.transition,
      createTime: previous?.createTime ?? this.clock(),
      endpointAddress: `${cache.name}-${this.random().toString(16).slice(2, 8).padEnd(6, '0')}.serverless.${shortRegion(this.partition.region)}.cache.amazonaws.com`,
      port: defaults.port,
      tags: { ...cache.tags },
      bytesUsed: cache.bytesUsed ?? randomInt(this.random, 1 << 20, 512 << 20),
      description: cache.description ?? '',
      subnetIds: [...(cache.subnetIds ?? network.subnetIds)],
      securityGroupIds: [...(cache.securityGroupIds ?? network.securityGroupIds)],
      kmsKeyId: cache.kmsKeyId,
      restoredFrom: [...(cache.restoredFrom ?? [])],
      seq: previous?.seq ?? this.nextSeq++,
    };
    this.caches.set(key, record);
    return record;
  }

  /** Sets a cache's status now (any pending change is dropped); throws when there is no such cache. */
  setStatus(name: string, status: string): void {
    const cache = this.find(name);
    if (!cache) throw new Error(`No cache named ${name}`);
    cache.status = status;
    cache.transition = undefined;
  }

  /** Replaces a cache's tags (as tags edited outside the orchestrator); throws when there is no such cache. */
  setTags(name: string, tags: Record<string, string>): void {
    const cache = this.find(name);
    if (!cache) throw new Error(`No cache named ${name}`);
    cache.tags = { ...tags };
  }

  /** Makes a cache vanish at once (deleted elsewhere); throws when there is no such cache. */
  remove(name: string): void {
    if (!this.find(name)) throw new Error(`No cache named ${name}`);
    this.caches.delete(name.toLowerCase());
  }

  /** The cache as of the clock, or undefined (also once a deleted cache is gone). */
  find(name: string): CacheRecord | undefined {
    const key = name.toLowerCase();
    const cache = this.caches.get(key);
    if (!cache || this.settle(cache, this.clock())) return cache;
    this.caches.delete(key);
    return undefined;
  }

  /** The cache, or ServerlessCacheNotFoundFault. */
  get(name: string): CacheRecord {
    const cache = this.find(name);
    if (!cache) throw faults.cacheNotFound(name);
    return cache;
  }

  /** Every cache as of the clock, in insertion order. */
  list(): EmulatorCache[] {
    return [...this.live()].map(toCacheView);
  }

  /** How many caches exist now (deleting ones included, as for the service's quota). */
  count(): number {
    let count = 0;
    for (const _ of this.live()) count += 1;
    return count;
  }

  /** One page of caches in insertion order; a named cache that does not exist is ServerlessCacheNotFoundFault. */
  describe(input: DescribeCachesInput): Page<EmulatorCache> {
    const pageSize = parseMaxResults(input.maxResults);
    const candidates = input.cacheName === undefined ? this.live() : [this.get(input.cacheName)];
    const page = takePage(candidates, () => true, input.nextToken, pageSize);
    return { items: page.items.map(toCacheView), nextToken: page.nextToken };
  }

  private *live(): Generator<CacheRecord> {
    const now = this.clock();
    for (const [key, cache] of this.caches) {
      if (this.settle(cache, now)) yield cache;
      else this.caches.delete(key);
    }
  }

  /** Applies a due transition; false when the cache is gone. */
  private settle(cache: CacheRecord, now: Date): boolean {
    const transition = cache.transition;
    if (!transition || now < transition.at) return true;
    if (transition.to === 'gone') return false;
    cache.status = transition.to;
    cache.transition = undefined;
    return true;
  }
}

/** `us-east-1` → `use1`, as in serverless cache endpoints. */
function shortRegion(region: string): string {
  return region
    .split('-')
    .map((part, index) => (index === 0 ? part : /^\d+$/.test(part) ? part : part.charAt(0)))
    .join('');
}
