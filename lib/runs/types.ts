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
  /**
   * The account and region of the run's cache, written when the run is first recorded (every run since issue
   * 17); a record without them is from before and was the orchestrator's own (`placementOf`).
   */
  readonly account?: string;
  readonly region?: string;
  readonly snapshotName: string;
  /**
   * An on-demand snapshot taken with `--keep`: retention never selects it, and its snapshot carries the tag
   * `snapshot-orchestrator-keep = true`. Absent otherwise.
   */
  readonly keep?: true;
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
  /** The export of the run's snapshot to S3, when the policy's `export` chose this snapshot (lib/exports). */
  readonly export?: RunExport;
}

/** docs/architecture.md, "Exports": the contract's statuses of a run's export. */
export type ExportStatus = 'EXPORTING' | 'EXPORTED' | 'REPLICATED' | 'FAILED';

/** One object an export wrote: its key in the export bucket and its size. */
export interface ExportedObject {
  readonly key: string;
  readonly bytes: number;
}

/** Where an export is copied, and how far the copy has come (resumable across ticks). */
export interface ReplicaState {
  readonly bucket: string;
  readonly region: string;
  /** Keys already copied there. */
  readonly copied?: readonly string[];
  /** A multipart copy left open between ticks: the key it copies and its upload id. */
  readonly upload?: { readonly key: string; readonly uploadId: string };
}

/**
 * The `export` map of a run record (docs/architecture.md, "Exports"): the contract's `status`, `bucket`,
 * `key` (the first object), `bytes` (all objects), `exportedAt`, `replicatedAt`, `lastError`, and what the
 * orchestrator keeps to follow it across ticks: the export calls made (`attempts`), when the last accepted
 * call started (`startedAt`; absent: no call accepted yet, the next step makes one), every object written
 * (`objects`), the copy's progress (`replica`), and `giveUpAt`, after which nothing is retried.
 */
export interface RunExport {
  readonly status: ExportStatus;
  readonly bucket: string;
  /** The region of `bucket`: the cache's. */
  readonly region: string;
  readonly key?: string;
  readonly bytes?: number;
  readonly exportedAt?: string;
  readonly replicatedAt?: string;
  readonly lastError?: RunError;
  readonly attempts: number;
  readonly startedAt?: string;
  readonly objects?: readonly ExportedObject[];
  readonly replica?: ReplicaState;
  readonly giveUpAt: string;
}

/**
 * Whether an export still needs a tick: being made (EXPORTING) or made and not yet copied to its replica
 * bucket. Such a run stays in the open index (lib/adapters/run-items.ts) though its status is AVAILABLE.
 */
export function isExportInFlight(exported: RunExport | undefined): boolean {
  if (exported === undefined) return false;
  return (
    exported.status === 'EXPORTING' || (exported.status === 'EXPORTED' && exported.replica !== undefined)
  );
}
