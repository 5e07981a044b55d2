/**
 * Run records: one per (policy, cache, slot, kind). docs/architecture.md, "Run record".
 *
 * Lifecycle:
 *   CLAIMED ─▶ REQUESTED ─▶ AVAILABLE ─▶ PRUNING ─▶ PRUNED
 *      │  ╲        ╲  ╲          ╲
 *      │   RETRYING  ╲  GONE      GONE (deleted outside the orchestrator)
 *      ▼      │      FAILED (vanished / not complete in time)
 *   FAILED / MISSED / SKIPPED
 * CLAIMED holds a lease; a claim whose lease expired may be taken over by another tick.
 */
export type RunStatus =
  | 'CLAIMED'
  | 'REQUESTED'
  | 'RETRYING'
  | 'AVAILABLE'
  | 'PRUNING'
  | 'PRUNED'
  | 'FAILED'
  | 'MISSED'
  | 'SKIPPED'
  | 'GONE';

/** Every status, in lifecycle order (checked against RunStatus: a new status cannot be forgotten here). */
export const RUN_STATUSES = Object.keys({
  CLAIMED: true,
  REQUESTED: true,
  RETRYING: true,
  AVAILABLE: true,
  PRUNING: true,
  PRUNED: true,
  FAILED: true,
  MISSED: true,
  SKIPPED: true,
  GONE: true,
} satisfies Record<RunStatus, true>) as [RunStatus, ...RunStatus[]];

/** Statuses that still need a tick's attention; only these are in the runs table's open index. */
export const OPEN_STATUSES: ReadonlySet<RunStatus> = new Set(['CLAIMED', 'REQUESTED', 'RETRYING', 'PRUNING']);

/** Statuses that end a run; these records carry a TTL expiry. AVAILABLE is not one: its snapshot exists. */
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set([
  'PRUNED',
  'FAILED',
  'MISSED',
  'SKIPPED',
  'GONE',
]);

/** Who found a GONE run's snapshot missing: a completion check, retention, or reconcile's check. */
export type GoneNoticedBy = 'completion' | 'retention' | 'reconcile';

export interface RunError {
  readonly code: string;
  readonly message: string;
}

/**
 * What a run is for: a scheduled slot, an operator's `snapshot` command (issue 16), or a restore test
 * (issue 15). Records stored before kinds existed have none and are read as SCHEDULED.
 */
export type RunKind = 'SCHEDULED' | 'ON_DEMAND' | 'RESTORE_TEST';

/** Every kind (checked against RunKind). */
export const RUN_KINDS = Object.keys({
  SCHEDULED: true,
  ON_DEMAND: true,
  RESTORE_TEST: true,
} satisfies Record<RunKind, true>) as [RunKind, ...RunKind[]];

/** What identifies a run: one run per (policy, cache, slot, kind). docs/architecture.md, "Run record". */
export interface RunKey {
  readonly policyId: string;
  readonly cacheName: string;
  /** The scheduled time of the slot (an on-demand run's: the minute it was asked for), UTC ISO-8601 with ms. */
  readonly slot: string;
  readonly kind: RunKind;
}

export interface RunRecord extends RunKey {
  readonly snapshotName: string;
  readonly status: RunStatus;
  readonly attempts: number;
  readonly lastError?: RunError;
  readonly snapshotArn?: string;
  readonly bytesUsedForCache?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly requestedAt?: string;
  readonly completedAt?: string;
  readonly prunedAt?: string;
  /** The last moment this slot may still start (slot + startWindowMinutes). */
  readonly windowClosesAt: string;
  /** RETRYING: when the next attempt is due. */
  readonly retryAt?: string;
  /** CLAIMED: who holds the claim and until when. */
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: string;
  /**
   * When a tick should next look at this run (open statuses only): retryAt, the lease expiry, or the
   * next completion poll. The open index is sorted by it.
   */
  readonly nextCheckAt?: string;
  /** TTL, epoch seconds; set on terminal records only. */
  readonly expiresAt?: number;
  /** GONE: when the snapshot was found deleted outside the orchestrator, and by which check. */
  readonly goneAt?: string;
  readonly goneNoticedBy?: GoneNoticedBy;
}
