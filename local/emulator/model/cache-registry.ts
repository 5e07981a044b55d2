/** The serverless caches of the emulated account: seeded by tests, read by DescribeServerlessCaches. */
import type { Random } from '#local/emulator/prng';
import { randomInt } from '#local/emulator/prng';
import type { CacheSeed, EmulatorCache } from '#local/emulator/types';
import { formatCacheArn, type Partition } from './arns';
import { parseMaxResults } from './input-rules';
import { type Page, takePage } from './pagination';
import { type CacheRecord, ENGINE_DEFAULTS, toCacheView } from './records';
import { faults } from './service-fault';

export interface DescribeCachesInput {
  readonly cacheName: string | undefined;
  readonly maxResults: string | undefined;
  readonly nextToken: string | undefined;
}

/** Caches keyed by lowercase name, in seeding order. */
export class CacheRegistry {
  private readonly caches = new Map<string, CacheRecord>();
  private nextSeq = 0;

  constructor(
    private readonly partition: Partition,
    private readonly clock: () => Date,
    private readonly random: Random,
  ) {}

  /** Adds a cache, or replaces the one of that name in place (keeping its position and CreateTime). */
  seed(seed: CacheSeed): EmulatorCache {
    const key = seed.name.toLowerCase();
    const previous = this.caches.get(key);
    const engine = seed.engine ?? 'valkey';
    const defaults = ENGINE_DEFAULTS[engine] ?? { major: '1', full: '1.0', port: 6379 };
    const majorEngineVersion = seed.majorEngineVersion ?? defaults.major;
    const record: CacheRecord = {
      name: seed.name,
      arn: formatCacheArn(this.partition, seed.name),
      engine,
      majorEngineVersion,
      fullEngineVersion: majorEngineVersion === defaults.major ? defaults.full : `${majorEngineVersion}.0`,
      status: seed.status ?? 'available',
      createTime: previous?.createTime ?? this.clock(),
      endpointAddress: `${seed.name}-${this.random().toString(16).slice(2, 8).padEnd(6, '0')}.serverless.${shortRegion(this.partition.region)}.cache.amazonaws.com`,
      port: defaults.port,
      tags: { ...seed.tags },
      bytesUsed: seed.bytesUsed ?? randomInt(this.random, 1 << 20, 512 << 20),
      seq: previous?.seq ?? this.nextSeq++,
    };
    this.caches.set(key, record);
    return toCacheView(record);
  }

  setStatus(name: string, status: string): void {
    const cache = this.caches.get(name.toLowerCase());
    if (!cache) throw new Error(`No cache named ${name} was seeded`);
    cache.status = status;
  }

  find(name: string): CacheRecord | undefined {
    return this.caches.get(name.toLowerCase());
  }

  /** The cache, or ServerlessCacheNotFoundFault. */
  get(name: string): CacheRecord {
    const cache = this.find(name);
    if (!cache) throw faults.cacheNotFound(name);
    return cache;
  }

  list(): EmulatorCache[] {
    return [...this.caches.values()].map(toCacheView);
  }

  /** One page of caches in seeding order; a named cache that does not exist is ServerlessCacheNotFoundFault. */
  describe(input: DescribeCachesInput): Page<EmulatorCache> {
    const pageSize = parseMaxResults(input.maxResults);
    const candidates = input.cacheName === undefined ? this.caches.values() : [this.get(input.cacheName)];
    const page = takePage(candidates, () => true, input.nextToken, pageSize);
    return { items: page.items.map(toCacheView), nextToken: page.nextToken };
  }
}

/** `us-east-1` → `use1`, as in serverless cache endpoints. */
function shortRegion(region: string): string {
  return region
    .split('-')
    .map((part, index) => (index === 0 ? part : /^\d+$/.test(part) ? part : part.charAt(0)))
    .join('');
}
