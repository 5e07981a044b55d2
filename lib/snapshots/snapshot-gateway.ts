/**
 * The orchestrator's view of ElastiCache serverless snapshots, free of SDK types. The ElastiCache adapter
 * (lib/adapters/elasticache) is the only code that knows the service's fault names: it throws
 * SnapshotServiceError with a FaultClass.
 */

/** Snapshot status as the service reports it; unknown values are kept and treated as in progress. */
export type SnapshotStatus =
  | 'creating'
  | 'available'
  | 'copying'
  | 'exporting'
  | 'deleting'
  | 'restoring'
  | (string & {});

export interface SnapshotInfo {
  readonly name: string;
  readonly arn: string;
  readonly cacheName: string;
  readonly status: SnapshotStatus;
  readonly snapshotType: 'manual' | 'automated' | (string & {});
  readonly createTime: Date | undefined;
  readonly bytesUsedForCache: number | undefined;
  readonly kmsKeyId: string | undefined;
  /**
   * Engine and major version of the cache the snapshot was taken of (ServerlessCacheConfiguration): what a
   * restore must create. Absent when the answer leaves them out.
   */
  readonly engine?: string;
  readonly majorEngineVersion?: string;
}

export interface CreateSnapshotRequest {
  readonly snapshotName: string;
  readonly cacheName: string;
  readonly kmsKeyId: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/** Serverless cache status as the service reports it (`creating`, `available`, `deleting`, `create-failed`, …). */
export type CacheStatus =
  | 'creating'
  | 'available'
  | 'modifying'
  | 'deleting'
  | 'create-failed'
  | (string & {});

/** One serverless cache: what a restore copies from it (engine, network) and how it is doing. */
export interface CacheInfo {
  readonly name: string;
  readonly status: CacheStatus;
  readonly engine: string | undefined;
  readonly majorEngineVersion: string | undefined;
  readonly arn: string | undefined;
  /** Where the cache lives: what a cache restored from its snapshots needs too. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly createTime: Date | undefined;
}

/** CreateServerlessCache restoring snapshots into a new cache (a scratch cache, or the CLI's restore). */
export interface CreateCacheRequest {
  readonly name: string;
  readonly engine: string;
  /** Undefined: the service's choice (the snapshot's version when restoring a snapshot of that engine). */
  readonly majorEngineVersion: string | undefined;
  readonly snapshotArns: readonly string[];
  /** Undefined or empty: the service's default (the default VPC's subnets and security group). */
  readonly subnetIds: readonly string[] | undefined;
  readonly securityGroupIds: readonly string[] | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/** What DeleteServerlessCache did: the cache is now `deleting`, or there was no such cache (nothing to do). */
export type CacheDeletion = 'deleting' | 'already-gone';

export interface SnapshotGateway {
  createSnapshot(request: CreateSnapshotRequest): Promise<SnapshotInfo>;
  /** Every snapshot of one cache (all pages). */
  listSnapshots(cacheName: string): Promise<SnapshotInfo[]>;
  /** One snapshot by name, or undefined when it does not exist. */
  getSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined>;
  deleteSnapshot(snapshotName: string): Promise<void>;
  listTags(arn: string): Promise<Record<string, string>>;
  /** Adds (or overwrites) tags on a snapshot, by ARN: AddTagsToResource. */
  tagSnapshot(arn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** One cache (DescribeServerlessCaches by name), or undefined when it does not exist. */
  getCache(cacheName: string): Promise<CacheInfo | undefined>;
  /** Every serverless cache of the account and region (all pages). */
  listCaches(): Promise<CacheInfo[]>;
  /**
   * Starts ExportServerlessCacheSnapshot of an `available` snapshot to `bucket` (in the snapshot's region):
   * the snapshot is `exporting` until ElastiCache has written `<snapshotName>-0001.rdb` (and more parts)
   * there. Faults: `busy` (the snapshot is not `available`, e.g. still creating or exporting), `not-found`
   * (no such snapshot), `already-exists` (the bucket already holds an object of that name: an earlier export
   * of it went through), `terminal` (a missing bucket, one in another region, write access not granted,
   * a Memcached snapshot, a missing service-linked role), each with the service's code and a message
   * naming the bucket.
   */
  exportSnapshot(snapshotName: string, bucket: string): Promise<SnapshotInfo>;
  /**
   * Creates a serverless cache (restoring `snapshotArns`), `creating` at first. Faults: `already-exists`
   * (the name is taken), `quota` (the account's serverless cache limit), `not-found` (no such snapshot),
   * `busy` (the snapshot is not available), `terminal` (parameters: engine or version mismatch, subnets,
   * security groups, tags).
   */
  createCache(request: CreateCacheRequest): Promise<CacheInfo>;
  /** Deletes a serverless cache; `busy` while it is not `available` or `create-failed` (e.g. `creating`). */
  deleteCache(cacheName: string): Promise<CacheDeletion>;
}

/** Tag keys the orchestrator puts on every snapshot it creates (docs/architecture.md, "Snapshot names and managed tags"). */
export const MANAGED_TAGS = {
  managedBy: 'managed-by',
  policyId: 'snapshot-policy-id',
  slot: 'snapshot-slot',
  deployment: 'snapshot-orchestrator-deployment',
  /** `true` on an on-demand snapshot taken with `--keep`: retention leaves it alone. */
  keep: 'snapshot-orchestrator-keep',
} as const;

export const MANAGED_BY_VALUE = 'cache-snapshot-orchestrator';

/** Whose a snapshot is: the deployment that took it, for which policy and slot. */
export interface SnapshotMark {
  readonly deployment: string;
  readonly policyId: string;
  readonly slot: string;
}

/** The managed tags of a snapshot taken by `mark.deployment` for (policyId, slot). */
export function managedTags(mark: SnapshotMark): Record<string, string> {
  return {
    [MANAGED_TAGS.managedBy]: MANAGED_BY_VALUE,
    [MANAGED_TAGS.deployment]: mark.deployment,
    [MANAGED_TAGS.policyId]: mark.policyId,
    [MANAGED_TAGS.slot]: mark.slot,
  };
}
