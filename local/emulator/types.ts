/**
 * Public types of the ElastiCache Serverless emulator: its options, the controls tests and the local stack
 * use, fault scripts and the call log.
 */

/** How the emulator is started; every member has a default that mirrors the real service. */
export interface EmulatorOptions {
  /** Time source for CreateTime, status transitions and quotas (not for latency or rate limits). */
  clock?: () => Date;
  /** Region in ARNs; default `us-east-1`. */
  region?: string;
  /** Account in ARNs; default `123456789012`. */
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
}

/** A running emulator: its endpoint, its state controls, and its fault and latency knobs. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: pass it as the client's `endpoint` or as `AWS_ENDPOINT_URL_ELASTICACHE`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Stops listening, closes every connection and ends injected waits at once; calling it again is harmless. */
  stop(): Promise<void>;
  /** Adds a cache, or replaces one of the same name. */
  seedCache(cache: CacheSeed): EmulatorCache;
  /** Changes a seeded cache's status; throws when no such cache was seeded. */
  setCacheStatus(name: string, status: string): void;
  caches(): EmulatorCache[];
  /** Adds a snapshot as if taken earlier, or replaces one of the same name (compared lowercase). */
  seedSnapshot(snapshot: SnapshotSeed): EmulatorSnapshot;
  /** Pins a snapshot's status; it no longer turns `available` on its own. */
  setSnapshotStatus(name: string, status: string): void;
  /** Makes a snapshot vanish without a Delete call; throws when there is no such snapshot. */
  removeSnapshot(name: string): void;
  /** Every snapshot in insertion order, statuses as of the clock. */
  snapshots(): EmulatorSnapshot[];
  /** How long snapshots created from now on stay `creating`. */
  setSnapshotCompletionMs(ms: number): void;
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
  /** Answers Throttling past this many requests in any rolling second of wall time; undefined lifts it. */
  setRateLimit(requestsPerSecond: number | undefined): void;
  /** Every call answered or dropped so far, in the order they finished. */
  readonly calls: readonly CallRecord[];
  resetCalls(): void;
}
