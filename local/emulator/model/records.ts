/**
 * What the emulator stores per cache and per snapshot, and how a snapshot's status follows from the clock:
 * a `creating` snapshot with `availableAt` reads `available` from that instant on, so nothing needs a timer.
 */
import type { EmulatorCache, EmulatorSnapshot } from '#local/emulator/types';

export interface CacheRecord {
  readonly name: string;
  readonly arn: string;
  readonly engine: string;
  readonly majorEngineVersion: string;
  readonly fullEngineVersion: string;
  /** Stored status; `transition` changes it once the clock reaches its instant. */
  status: string;
  /** A change due on the clock: the status the cache takes at `at`, or `gone` when it disappears then. */
  transition: CacheTransition | undefined;
  readonly createTime: Date;
  readonly endpointAddress: string;
  readonly port: number;
  tags: Record<string, string>;
  readonly bytesUsed: number;
  readonly description: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly kmsKeyId: string | undefined;
  /** ARNs of the snapshots the cache was created from. */
  readonly restoredFrom: readonly string[];
  /** Insertion order: the stable order of DescribeServerlessCaches and its page tokens. */
  readonly seq: number;
}

/** A cache status change due on the clock (`creating` → `available` or `create-failed`, `deleting` → gone). */
export interface CacheTransition {
  readonly at: Date;
  readonly to: string | 'gone';
}

export interface SnapshotRecord {
  readonly name: string;
  /** The name lowercased: names are unique per account compared this way. */
  readonly key: string;
  readonly arn: string;
  readonly cacheName: string;
  readonly snapshotType: 'manual' | 'automated';
  /** Stored status; a `creating` one reads `available` once the clock reaches `availableAt`. */
  status: string;
  availableAt: Date | undefined;
  readonly createTime: Date;
  readonly expiryTime: Date | undefined;
  readonly tags: Record<string, string>;
  readonly kmsKeyId: string | undefined;
  readonly bytesUsedForCache: number;
  readonly engine: string;
  readonly majorEngineVersion: string;
  /** Insertion order: the stable order of DescribeServerlessCacheSnapshots and its page tokens. */
  readonly seq: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Major version and full version of each engine when a seed names none. */
export const ENGINE_DEFAULTS: Readonly<Record<string, { major: string; full: string; port: number }>> = {
  valkey: { major: '8', full: '8.0', port: 6379 },
  redis: { major: '7', full: '7.1', port: 6379 },
  memcached: { major: '1.6', full: '1.6.22', port: 11211 },
};

/** The major versions CreateServerlessCache accepts per engine, with the full version each runs. */
export const ENGINE_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  valkey: { '7': '7.2', '8': '8.0' },
  redis: { '7': '7.1' },
  memcached: { '1.6': '1.6.22' },
};

/** The full engine version of a major version (`<major>.0` for one the emulator does not list). */
export function fullEngineVersionOf(engine: string, major: string): string {
  return ENGINE_VERSIONS[engine]?.[major] ?? `${major}.0`;
}

export function snapshotStatusAt(snapshot: SnapshotRecord, now: Date): string {
  if (snapshot.status === 'creating' && snapshot.availableAt && now >= snapshot.availableAt) {
    return 'available';
  }
  return snapshot.status;
}

export function toSnapshotView(snapshot: SnapshotRecord, now: Date, status?: string): EmulatorSnapshot {
  return {
    name: snapshot.name,
    arn: snapshot.arn,
    cacheName: snapshot.cacheName,
    snapshotType: snapshot.snapshotType,
    status: status ?? snapshotStatusAt(snapshot, now),
    createTime: snapshot.createTime,
    expiryTime: snapshot.expiryTime,
    tags: { ...snapshot.tags },
    kmsKeyId: snapshot.kmsKeyId,
    bytesUsedForCache: snapshot.bytesUsedForCache,
    engine: snapshot.engine,
    majorEngineVersion: snapshot.majorEngineVersion,
  };
}

export function toCacheView(cache: CacheRecord): EmulatorCache {
  return {
    name: cache.name,
    arn: cache.arn,
    engine: cache.engine,
    majorEngineVersion: cache.majorEngineVersion,
    fullEngineVersion: cache.fullEngineVersion,
    status: cache.status,
    createTime: cache.createTime,
    endpointAddress: cache.endpointAddress,
    port: cache.port,
    tags: { ...cache.tags },
    bytesUsed: cache.bytesUsed,
    description: cache.description,
    subnetIds: [...cache.subnetIds],
    securityGroupIds: [...cache.securityGroupIds],
    kmsKeyId: cache.kmsKeyId,
    restoredFrom: [...cache.restoredFrom],
  };
}
