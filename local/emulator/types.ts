/**
 * Public types of the ElastiCache Serverless emulator: its options, the controls tests and the local stack
 * use, fault scripts and the call log.
 */

import type { CredentialRegistry } from '#local/identity/credential-registry';

/** How the emulator is started; every member has a default that mirrors the real service. */
export interface EmulatorOptions {
  /** Time source for CreateTime, status transitions and quotas (not for latency or rate limits). */
  clock?: () => Date;
  /** Region of the default partition; default `us-east-1`. */
  region?: string;
  /** Account of the default partition (and of every unregistered access key); default `123456789012`. */
  accountId?: string;
  /** How long a new snapshot stays `creating` on the clock; default 5 minutes. */
  snapshotCompletionMs?: number;
  /** Manual snapshots the account may hold at once; default 1000. */
  accountSnapshotLimit?: number;
  /** Manual snapshots of one cache in any rolling 24 h; default 24. */
  perCacheDailyLimit?: number;
  /** Seed of the emulator's own randomness (latency draws, default cache sizes); default 1. */
  seed?: number;
  /** TCP port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** How long a new serverless cache stays `creating` on the clock; default 3 minutes. */
  cacheCreationMs?: number;
  /** How long a deleted cache stays `deleting` before it is gone; default 2 minutes. */
  cacheDeletionMs?: number;
  /** Serverless caches per account and region CreateServerlessCache allows; default 100. */
  cacheLimit?: number;
  /** How long an export stays `exporting` on the clock before its objects are written; default 2 minutes. */
  exportCompletionMs?: number;
  /** Size cap of each exported object (the snapshot's BytesUsedForCache otherwise); default 64 KiB. */
  exportObjectMaxBytes?: number;
  /** The S3 endpoint exports write to (the local S3); default none: every bucket "does not exist". */
  s3Endpoint?: string;
  /**
   * Maps access keys to accounts (keys issued by the local STS, registered long-term keys). Default: a
   * registry of its own where every key belongs to `accountId`.
   */
  credentials?: CredentialRegistry;
}

/** A serverless cache to seed; the cache name is the only required member. */
export interface CacheSeed {
  name: string;
  /** `valkey` (default), `redis` or `memcached`. */
  engine?: string;
  /** Default per engine: valkey `8`, redis `7`, memcached `1.6`. */
  majorEngineVersion?: string;
  /** Wire status (`available` by default, `creating`, `modifying`, `deleting`, `create-failed`). */
  status?: string;
  /** Tags returned by ListTagsForResource on the cache ARN. */
  tags?: Record<string, string>;
  /** BytesUsedForCache of snapshots taken of this cache; default drawn from the seed. */
  bytesUsed?: number;
  /** Default: the partition's three default subnets (deterministic per account and region). */
  subnetIds?: string[];
  /** Default: the partition's default VPC security group. */
  securityGroupIds?: string[];
  description?: string;
  kmsKeyId?: string;
}

/** A snapshot to seed as if it had been taken earlier (by a person, by AWS, or by a previous run). */
export interface SnapshotSeed {
  /** Kept as given (not validated), so mixed-case legacy names can be modelled. */
  name: string;
  cacheName: string;
  snapshotType?: 'manual' | 'automated';
  /** Default `available`; `creating` turns `available` at `availableAt`. */
  status?: string;
  /** Default: the clock's now. */
  createTime?: Date;
  /** When a `creating` seed turns `available`: default createTime + snapshotCompletionMs; null = never. */
  availableAt?: Date | null;
  /** Default for automated snapshots: createTime + 1 day; manual snapshots never expire. */
  expiryTime?: Date;
  tags?: Record<string, string>;
  kmsKeyId?: string;
  bytesUsedForCache?: number;
  /** Default: the cache's engine, or `valkey` when the cache is unknown. */
  engine?: string;
  majorEngineVersion?: string;
}

/** A snapshot as the emulator holds it, with its status computed from the clock. */
export interface EmulatorSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly cacheName: string;
  readonly snapshotType: 'manual' | 'automated';
  readonly status: string;
  readonly createTime: Date;
  readonly expiryTime: Date | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly kmsKeyId: string | undefined;
  readonly bytesUsedForCache: number;
  readonly engine: string;
  readonly majorEngineVersion: string;
}

/** A serverless cache as the emulator holds it. */
export interface EmulatorCache {
  readonly name: string;
  readonly arn: string;
  readonly engine: string;
  readonly majorEngineVersion: string;
  readonly fullEngineVersion: string;
  readonly status: string;
  readonly createTime: Date;
  readonly endpointAddress: string;
  readonly port: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly bytesUsed: number;
  readonly description: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly kmsKeyId: string | undefined;
  /** ARNs in the SnapshotArnsToRestore of the CreateServerlessCache that made it (empty for seeds). */
  readonly restoredFrom: readonly string[];
}

/** Kinds a random fault can take: `busy` is InvalidServerlessCacheStateFault, `latency` a 200–500 ms spike. */
export type FaultKind = 'throttling' | 'http500' | 'drop' | 'busy' | 'latency';

/**
 * One scripted answer in place of the normal one:
 * - `throttling`: 400 `Throttling`, message `Rate exceeded` (the SDK retries it);
 * - `http500`: 500 `InternalFailure` (the SDK retries it);
 * - `drop`: the socket is destroyed without an answer; with `afterEffect` the call takes effect first
 *   (a lost response: the client cannot tell whether its request went through);
 * - `fault`: any error code with its HTTP status (default 400) and message;
 * - `latency`: waits `ms` of wall time, then answers normally.
 */
export type FaultSpec =
  | { kind: 'throttling' }
  | { kind: 'http500' }
  | { kind: 'drop'; afterEffect?: boolean }
  | { kind: 'fault'; code: string; httpStatus?: number; message?: string }
  | { kind: 'latency'; ms: number };

/** Random faults: each eligible call fails with probability `rate`, drawn from a PRNG seeded by `seed`. */
export interface RandomFaultConfig {
  rate: number;
  seed: number;
  /** Default: every kind. */
  kinds?: FaultKind[];
  /** Default: every action. */
  actions?: string[];
}

/** Request members as parsed: flat `Name=value` strings, and the tags list as one record under `Tags`. */
export type CallParams = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/** One call the emulator received, logged when it was answered (or dropped). */
export interface CallRecord {
  readonly action: string;
  readonly params: CallParams;
  /** When it arrived, on the emulator's clock. */
  readonly at: Date;
  /** `ok`, the error code answered, or `drop` when the connection was destroyed. */
  readonly outcome: 'ok' | (string & {});
  readonly httpStatus: number | undefined;
  readonly requestId: string;
  /** The partition the call reached; undefined when it was refused before (no or bad credentials). */
  readonly accountId?: string;
  readonly region?: string;
}

/** An export as the emulator keeps it (`exports()`): where it writes and how it ended. */
export interface EmulatorExport {
  readonly snapshotName: string;
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  /** `<snapshot-name>-0001.rdb`, … : the objects written when the export completes. */
  readonly keys: readonly string[];
  /** `exporting` until the clock passes `completesAt`, then `completed` (objects written) or `failed`. */
  readonly status: 'exporting' | 'completed' | 'failed';
  readonly startedAt: Date;
  readonly completesAt: Date;
  readonly completedAt: Date | undefined;
  /** Why a failed export wrote nothing: an injected failure, or the S3 error (e.g. the bucket was deleted). */
  readonly error: string | undefined;
}

/**
 * The state controls of one account in one region. Every partition has its own caches, snapshots and API
 * rate limit; a request reaches the partition of its credentials' account and its signature's region.
 */
export interface EmulatorPartition {
  readonly accountId: string;
  readonly region: string;
  /** Adds a cache, or replaces one of the same name. */
  seedCache(cache: CacheSeed): EmulatorCache;
  /** Sets a cache's status now (a pending `creating`/`deleting` change is dropped); throws when there is no such cache. */
  setCacheStatus(name: string, status: string): void;
  /** Replaces a cache's tags, as someone editing them outside the orchestrator; throws when there is no such cache. */
  setCacheTags(name: string, tags: Record<string, string>): void;
  /** Makes a cache vanish at once, without a Delete call (its snapshots stay); throws when there is no such cache. */
  removeCache(name: string): void;
  /** Every cache as of the clock (deleted ones disappear once their deletion time has passed). */
  caches(): EmulatorCache[];
  /** The next `count` CreateServerlessCache calls of this partition end `create-failed` instead of `available`. */
  failNextCacheCreations(count?: number): void;
  /** Adds a snapshot as if taken earlier, or replaces one of the same name (compared lowercase). */
  seedSnapshot(snapshot: SnapshotSeed): EmulatorSnapshot;
  /** Pins a snapshot's status; it no longer turns `available` on its own. */
  setSnapshotStatus(name: string, status: string): void;
  /** Makes a snapshot vanish without a Delete call; throws when there is no such snapshot. */
  removeSnapshot(name: string): void;
  /** Every snapshot in insertion order, statuses as of the clock. */
  snapshots(): EmulatorSnapshot[];
  /** Answers Throttling past this many requests in any rolling second of wall time; undefined lifts it. */
  setRateLimit(requestsPerSecond: number | undefined): void;
}

/**
 * A running emulator: its endpoint, its fault and latency knobs, and the controls of its default partition
 * (`accountId` in `region`, where requests with unregistered credentials signed for that region go).
 */
export interface Emulator extends EmulatorPartition {
  /** `http://127.0.0.1:<port>`: pass it as the client's `endpoint` or as `AWS_ENDPOINT_URL_ELASTICACHE`. */
  readonly endpoint: string;
  /** Stops listening, closes every connection and ends injected waits at once; calling it again is harmless. */
  stop(): Promise<void>;
  /** The controls of `accountId` in `region`, created empty on first use. */
  partition(accountId: string, region: string): EmulatorPartition;
  /** Every partition used so far (by a request or a control), default first. */
  partitions(): EmulatorPartition[];
  /**
   * The emulator-wide limit: every partition without a limit of its own answers Throttling past this many
   * requests in any rolling second (each partition counts its own); undefined lifts it.
   */
  setRateLimit(requestsPerSecond: number | undefined): void;
  /** How long snapshots created from now on stay `creating`. */
  setSnapshotCompletionMs(ms: number): void;
  /** How long caches created from now on stay `creating`, and deleted ones `deleting`. */
  setCacheTimings(timings: { creationMs?: number; deletionMs?: number }): void;
  /** Serverless caches an account may have per region before CreateServerlessCache answers the quota fault. */
  setCacheLimit(limit: number): void;
  /** Points exports at an S3 endpoint (the local S3); undefined disconnects (every bucket then "does not exist"). */
  connectS3(endpoint: string | undefined): Promise<void>;
  /** Every export accepted so far, oldest first. */
  exports(): EmulatorExport[];
  /** Completes every export due on the clock (the emulator also does this before answering any request). */
  settle(): Promise<void>;
  /** How long exports started from now on stay `exporting`, and how many objects each writes. */
  setExportTimings(timings: { completionMs?: number; objectCount?: number }): void;
  /** Refuses exports to `bucket` as when ElastiCache was not granted write access to it (`denied` false lifts it). */
  denyExportWrites(bucket: string, denied?: boolean): void;
  /** The next `count` exports are accepted, then fail on completion: no object is written. */
  failNextExports(count?: number): void;
  /** Queues faults for the next calls of `action`, consumed one per call, in order, before random ones. */
  scriptFaults(action: string, faults: FaultSpec[]): void;
  /** Scripted faults not yet consumed for `action`. */
  pendingFaults(action: string): number;
  /** Starts random faults (undefined stops them); the same seed and calls give the same faults. */
  setRandomFaults(config: RandomFaultConfig | undefined): void;
  /** Drops scripted faults and stops random ones. */
  clearFaults(): void;
  /** Wall-clock delay added to every call, drawn uniformly in [minMs, maxMs]; undefined for none. */
  setLatency(latency: { minMs: number; maxMs: number } | undefined): void;
  /** Every call answered or dropped so far, in the order they finished. */
  readonly calls: readonly CallRecord[];
  resetCalls(): void;
}
