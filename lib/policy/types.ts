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
  /** Scheduled proof that the policy's snapshots restore (docs/architecture.md, "Restore tests"). */
  readonly restoreTest: RestoreTestRule | undefined;
}

export interface RetentionRule {
  readonly maxCount: number | undefined;
  readonly maxAgeDays: number | undefined;
  readonly minCount: number;
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
  'schedule',
  'timezone',
  'enabled',
  'namePrefix',
  'kmsKeyId',
  'tags',
  'retention',
  'startWindowMinutes',
  'restoreTest',
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
