/**
 * Run records: one per (policy, scheduled slot). docs/architecture.md, "Run record".
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

export interface RunKey {
  readonly policyId: string;
  /** The scheduled time of the slot, UTC ISO-8601 with milliseconds. */
  readonly slot: string;
}

export interface RunRecord extends RunKey {
  readonly cacheName: string;
  /**
   * The account and region of the run's cache, written when the run is first recorded (every run since issue
   * 17); a record without them is from before and was the orchestrator's own (`placementOf`).
   */
  readonly account?: string;
  readonly region?: string;
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
