/**
 * A policy as the orchestrator uses it: the operator's record after parsing and defaults
 * (docs/architecture.md, "Policy record"). Only `parsePolicy` produces one. A policy names exactly one of
 * `cacheName` (one cache) and `targets` (a selector of caches): check `cacheName !== undefined` to tell.
 */
export type Policy = CachePolicy | TargetsPolicy;

/** What every policy has, whatever caches it covers. */
interface PolicySettings {
  readonly policyId: string;
  /** EventBridge syntax as written: `cron(...)` or `rate(N hours|days)`. */
  readonly schedule: string;
  /** IANA zone the schedule is evaluated in. */
  readonly timezone: string;
  readonly enabled: boolean;
  readonly kmsKeyId: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  /** Copy the cache's own tags onto its snapshots (not `aws:` keys, not the managed keys); default false. */
  readonly copyCacheTags: boolean;
  readonly retention: RetentionRule | undefined;
  readonly startWindowMinutes: number;
  /** Exports of the policy's snapshots to S3; undefined: none. */
  readonly export: ExportRule | undefined;
  /** Scheduled proof that the policy's snapshots restore (docs/architecture.md, "Restore tests"). */
  readonly restoreTest: RestoreTestRule | undefined;
  /** The 12-digit account its caches are in; undefined: the orchestrator's own (`placementOf`). */
  readonly account: string | undefined;
  /** The Region its caches are in; undefined: the orchestrator's own (`placementOf`). */
  readonly region: string | undefined;
}

/** A policy of one cache: a `cacheName` policy, or a `targets` policy as it applies to one target. */
export interface CachePolicy extends PolicySettings {
  readonly cacheName: string;
  readonly targets?: undefined;
  /** Lowercase, valid and short enough to leave room for the timestamp and hash in a snapshot name. */
  readonly namePrefix: string;
}

/** A policy of every cache its selector chooses (docs/architecture.md, "Targets"). */
export interface TargetsPolicy extends PolicySettings {
  readonly cacheName?: undefined;
  readonly targets: TargetSelector;
  /** As for CachePolicy when the operator set one; undefined: each target's cache name (`policyForTarget`). */
  readonly namePrefix: string | undefined;
}

/** The engines a serverless cache runs, as DescribeServerlessCaches names them. */
export const CACHE_ENGINES = ['valkey', 'redis', 'memcached'] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/**
 * Which caches a `targets` policy covers (docs/architecture.md, "Targets"). Absent lists are `undefined`
 * (`names`: every name; `engines`: every engine); absent maps are empty. At least one of `tags` and `names`
 * is set. Matching is lib/fleet's `matchSelector`.
 */
export interface TargetSelector {
  /** Every listed tag with that value; the value `*` matches any value. */
  readonly tags: Readonly<Record<string, string>>;
  /** Globs (`*`, `?`) on the cache name: one must match. */
  readonly names: readonly string[] | undefined;
  readonly engines: readonly CacheEngine[] | undefined;
  /** A cache carrying any listed tag (value `*`: any value) is excluded. */
  readonly excludeTags: Readonly<Record<string, string>>;
  /** A cache whose name matches any of these globs is excluded. */
  readonly excludeNames: readonly string[];
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

/** The policy's `restoreTest` map after checks and defaults. */
export interface RestoreTestRule {
  /** EventBridge syntax as written, in the policy's `timezone`; fires at most once a day. */
  readonly schedule: string;
  /** A restored cache not `available` within this many minutes fails the test. */
  readonly maxMinutes: number;
  /** The overdue alarm counts a target as overdue once its last VERIFIED test is this many days old. */
  readonly alarmAfterDays: number;
}

export type PolicyState = 'ACTIVE' | 'INVALID' | 'DISABLED';

/** The attributes an operator writes; everything else on the item belongs to the orchestrator. */
export const OPERATOR_ATTRIBUTES = [
  'policyId',
  'cacheName',
  'targets',
  'schedule',
  'timezone',
  'enabled',
  'namePrefix',
  'kmsKeyId',
  'tags',
  'copyCacheTags',
  'retention',
  'startWindowMinutes',
  'export',
  'restoreTest',
  'account',
  'region',
] as const;

/** The attributes the orchestrator writes on a policy item. */
export const ORCHESTRATOR_ATTRIBUTES = [
  'state',
  'stateReason',
  'nextRunAt',
  'dueBucket',
  'specHash',
  'syncedAt',
  'activatedAt',
  'lastRun',
  'newestSnapshot',
  'lastRestoreTest',
  'lastVerifiedRestoreTest',
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

/**
 * The latest restore test of the policy's cache (`lastRestoreTest`) and the latest VERIFIED one
 * (`lastVerifiedRestoreTest`, what RestoreTestAgeDays measures from). docs/architecture.md, "Restore tests".
 */
export interface RestoreTestSummary {
  readonly cacheName: string;
  readonly slot: string;
  readonly status: string;
  readonly at: string;
  readonly verifiedAt?: string;
  readonly restoreSeconds?: number;
  readonly errorCode?: string;
}

/** Orchestrator summaries kept on a policy item, each replaced only by one of a slot at least as new. */
export type SlotSummaries = {
  lastRun: LastRunSummary;
  newestSnapshot: NewestSnapshotSummary;
  lastRestoreTest: RestoreTestSummary;
  lastVerifiedRestoreTest: RestoreTestSummary;
};

/** A policy item as stored: raw operator attributes (unvalidated) plus the orchestrator's. */
export type PolicyItem = Record<string, unknown> & {
  policyId: string;
  state?: PolicyState;
  stateReason?: string;
  nextRunAt?: string;
  specHash?: string;
  /** When policy sync last moved the policy into ACTIVE (kept while it stays ACTIVE): its recovery point before its first snapshot. */
  activatedAt?: string;
  lastRun?: LastRunSummary;
  newestSnapshot?: NewestSnapshotSummary;
  lastRestoreTest?: RestoreTestSummary;
  lastVerifiedRestoreTest?: RestoreTestSummary;
};
