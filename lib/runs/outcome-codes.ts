/**
 * The one table of outcome codes: the `lastError.code` a run record carries when the orchestrator itself
 * decides its outcome. A fault of the service keeps its wire code instead (`InvalidServerlessCacheStateFault`,
 * `ServerlessCacheSnapshotQuotaExceededFault`, …; lib/adapters/elasticache/classify-error.ts). Operators
 * filter and alarm on these strings (Logs Insights `errorCode`, the CLI), so they are contracts: add codes,
 * never rename one (docs/architecture.md, "Outcome codes").
 */
export const OUTCOME_CODE = {
  /** MISSED: the slot was not started within `startWindowMinutes`; FAILED: a retry's window closed. */
  StartWindowClosed: 'StartWindowClosed',
  /** MISSED: an outage skipped this slot; only the latest slot is taken. */
  SlotSuperseded: 'SlotSuperseded',
  /** MISSED: the tick that claimed the slot did not finish before its start window closed. */
  ClaimAbandoned: 'ClaimAbandoned',
  /** SKIPPED: the run's policy was deleted, invalid or disabled when the run came due again. */
  PolicyUnavailable: 'PolicyUnavailable',
  /** RETRYING: another snapshot of the cache is in progress (one at a time per cache). */
  CacheBusy: 'CacheBusy',
  /** RETRYING, due at once: the tick ran out of time before the run started. */
  DeadlineReached: 'DeadlineReached',
  /** FAILED: the snapshot was not seen `available` within the completion timeout. */
  CompletionTimeout: 'CompletionTimeout',
  /** FAILED: the snapshot disappeared before it became available. */
  SnapshotVanished: 'SnapshotVanished',
  /** SKIPPED: the snapshot no longer carries the policy's managed tags; retention leaves it alone. */
  NotOwned: 'NotOwned',
  /**
   * FAILED: with `copyCacheTags`, the snapshot would carry more tags than ElastiCache allows on a resource
   * (the managed, the policy's and the cache's own); nothing was created.
   */
  TooManyTags: 'TooManyTags',
  /** GONE: the run's snapshot was deleted outside the orchestrator (console, CLI, another tool). */
  SnapshotGone: 'SnapshotGone',
  /** Export FAILED: it did not end (or could not be retried) within its time (lib/exports/deps.ts). */
  ExportTimeout: 'ExportTimeout',
  /** Export FAILED: every export call ended without an object in the bucket. */
  ExportObjectMissing: 'ExportObjectMissing',
  /** Export FAILED: the snapshot was deleted before its export wrote anything. */
  ExportSnapshotGone: 'ExportSnapshotGone',
  /** An error that was not a classified service fault (its message says what it was). */
  InternalError: 'InternalError',
} as const;

export type OutcomeCode = (typeof OUTCOME_CODE)[keyof typeof OUTCOME_CODE];
