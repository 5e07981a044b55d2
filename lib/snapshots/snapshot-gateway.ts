/**
 * The orchestrator's view of ElastiCache serverless snapshots, free of SDK types. The ElastiCache adapter
 * (lib/adapters/elasticache) is the only code that knows the service's fault names: it throws
 * SnapshotServiceError with a FaultClass.
 */

/** Snapshot status as the service reports it; unknown values are kept and treated as in progress. */
export type SnapshotStatus = 'creating' | 'available' | 'copying' | 'deleting' | 'restoring' | (string & {});

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

export interface CacheInfo {
  readonly name: string;
  readonly status: string;
  readonly engine: string | undefined;
  readonly arn: string | undefined;
}

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
  /** One cache, or undefined when it does not exist. */
  getCache(cacheName: string): Promise<CacheInfo | undefined>;
}

/** Tag keys the orchestrator puts on every snapshot it creates (docs/architecture.md, "Snapshot names and managed tags"). */
export const MANAGED_TAGS = {
  managedBy: 'managed-by',
  policyId: 'snapshot-policy-id',
  slot: 'snapshot-slot',
  deployment: 'snapshot-orchestrator-deployment',
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
