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
}

export interface CreateSnapshotRequest {
  readonly snapshotName: string;
  readonly cacheName: string;
  readonly kmsKeyId: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/** A serverless cache as DescribeServerlessCaches tells it (status lowercase: `available`, `creating`, …). */
export interface CacheInfo {
  readonly name: string;
  readonly status: string;
  readonly engine: string | undefined;
  readonly majorEngineVersion: string | undefined;
  readonly arn: string | undefined;
  /** Where the cache lives: what a cache restored from its snapshots needs too. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export interface SnapshotGateway {
  createSnapshot(request: CreateSnapshotRequest): Promise<SnapshotInfo>;
  /** Every snapshot of one cache (all pages). */
  listSnapshots(cacheName: string): Promise<SnapshotInfo[]>;
  /** One snapshot by name, or undefined when it does not exist. */
  getSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined>;
  deleteSnapshot(snapshotName: string): Promise<void>;
  listTags(arn: string): Promise<Record<string, string>>;
  /** One cache, or undefined when it does not exist. */
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
}

/** Tag keys the orchestrator puts on every snapshot it creates (docs/architecture.md, "Snapshot names and managed tags"). */
export const MANAGED_TAGS = {
  managedBy: 'managed-by',
  policyId: 'snapshot-policy-id',
  slot: 'snapshot-slot',
} as const;

export const MANAGED_BY_VALUE = 'cache-snapshot-orchestrator';

/** The managed tags of a snapshot taken for (policyId, slot). */
export function managedTags(policyId: string, slot: string): Record<string, string> {
  return {
    [MANAGED_TAGS.managedBy]: MANAGED_BY_VALUE,
    [MANAGED_TAGS.policyId]: policyId,
    [MANAGED_TAGS.slot]: slot,
  };
}
