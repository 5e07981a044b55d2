import type { LastRunSummary, NewestSnapshotSummary, SlotSummaries } from '#lib/policy/types';

/** One target: a (policy, cache) pair (docs/architecture.md, "Targets"). */
export interface TargetKey {
  readonly policyId: string;
  readonly cacheName: string;
}

/** An enrolled target takes its slots; a retired one takes none, and keeps its runs and summaries. */
export type TargetState = 'ACTIVE' | 'RETIRED';

/** The schedule state of one target of a `targets` policy, as the targets table holds it. */
export interface TargetRecord extends TargetKey {
  readonly state: TargetState;
  /** The next slot to take (UTC ISO); absent once retired. Only ACTIVE targets with one are due. */
  readonly nextRunAt?: string;
  readonly engine?: string;
  readonly enrolledAt?: string;
  readonly retiredAt?: string;
  /** Why it was retired: the cache was deleted, no longer matches, or the policy left ACTIVE. */
  readonly retiredReason?: string;
  readonly lastRun?: LastRunSummary;
  readonly newestSnapshot?: NewestSnapshotSummary;
  readonly account?: string;
  readonly region?: string;
}

/** Where a target's state lives: its `cacheName` policy's item, or its item in the targets table. */
export type TargetHome = 'policy' | 'targets';

/**
 * A target whose `nextRunAt` is at or before the tick's time, from either home: a `cacheName` policy's item
 * (`home: 'policy'`) or a targets-table item (`home: 'targets'`). `home` is the TargetStore's to read back
 * in `advance`; the tick passes it on without looking.
 */
export interface DueTarget extends TargetKey {
  readonly nextRunAt: string;
  readonly home: TargetHome;
}

/** The summaries one write records on a target: each replaced only by one of a slot at least as new. */
export type TargetSummaries = Partial<SlotSummaries>;

/** What enrolling a cache as a target of a `targets` policy writes. */
export interface Enrolment extends TargetKey {
  /** Its first slot: the first at or after the moment it is enrolled. */
  readonly nextRunAt: string;
  readonly enrolledAt: string;
  readonly engine?: string | undefined;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}
