/**
 * A policy as the orchestrator uses it: the operator's record after parsing and defaults
 * (docs/architecture.md, "Policy record"). Only `parsePolicy` produces one.
 */
export interface Policy {
  readonly policyId: string;
  readonly cacheName: string;
  /** EventBridge syntax as written: `cron(...)` or `rate(N hours|days)`. */
  readonly schedule: string;
  /** IANA zone the schedule is evaluated in. */
  readonly timezone: string;
  readonly enabled: boolean;
  /** Lowercase, valid and short enough to leave room for the timestamp and hash in a snapshot name. */
  readonly namePrefix: string;
  readonly kmsKeyId: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly retention: RetentionRule | undefined;
  readonly startWindowMinutes: number;
  /** Exports of the policy's snapshots to S3; undefined: none. */
  readonly export: ExportRule | undefined;
}

export interface RetentionRule {
  readonly maxCount: number | undefined;
  readonly maxAgeDays: number | undefined;
  readonly minCount: number;
}

/**
 * The policy's `export` map (docs/architecture.md, "Exports"): every `every`th snapshot of a target is
 * exported to `bucket` (in the cache's region) and copied to `replicateTo`; `retention` applies to the
 * exported objects in both buckets, and only to those this deployment exported.
 */
export interface ExportRule {
  readonly bucket: string;
  readonly every: number;
  readonly retention: RetentionRule | undefined;
  readonly replicateTo: ReplicaDestination | undefined;
}

/** Where each exported object is copied: a bucket in `region` (another region, or another account's). */
export interface ReplicaDestination {
  readonly bucket: string;
  readonly region: string;
}

export type PolicyState = 'ACTIVE' | 'INVALID' | 'DISABLED';

/** The attributes an operator writes; everything else on the item belongs to the orchestrator. */
export const OPERATOR_ATTRIBUTES = [
  'policyId',
  'cacheName',
  'schedule',
  'timezone',
  'enabled',
  'namePrefix',
  'kmsKeyId',
  'tags',
  'retention',
  'startWindowMinutes',
  'export',
] as const;

/** The attributes the orchestrator writes on a policy item. */
export const ORCHESTRATOR_ATTRIBUTES = [
  'state',
  'stateReason',
  'nextRunAt',
  'dueBucket',
  'specHash',
  'syncedAt',
  'lastRun',
  'newestSnapshot',
] as const;

/** What the orchestrator keeps of the latest run on the policy item, for `status` views. */
export interface LastRunSummary {
  readonly slot: string;
  readonly status: string;
  readonly at: string;
  readonly errorCode?: string;
}

/** The policy's newest snapshot known to be `available`: what the RPO metric measures from. */
export interface NewestSnapshotSummary {
  readonly slot: string;
  readonly snapshotName: string;
  /** When the snapshot was requested: the moment its data is from (the recovery point). */
  readonly takenAt: string;
  readonly availableAt: string;
}

/** Orchestrator summaries kept on a policy item, each replaced only by one of a slot at least as new. */
export type SlotSummaries = { lastRun: LastRunSummary; newestSnapshot: NewestSnapshotSummary };

/** A policy item as stored: raw operator attributes (unvalidated) plus the orchestrator's. */
export type PolicyItem = Record<string, unknown> & {
  policyId: string;
  state?: PolicyState;
  stateReason?: string;
  nextRunAt?: string;
  specHash?: string;
  lastRun?: LastRunSummary;
  newestSnapshot?: NewestSnapshotSummary;
};
