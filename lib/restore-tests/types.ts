/**
 * Restore-test records (docs/architecture.md, "Restore tests"): one per (policy, cache, restore-test slot),
 * kept in the runs table with `kind` = `RESTORE_TEST`.
 *
 *   RESTORING ─▶ VERIFIED ─┐
 *       │                  ├─▶ (scratch cache deleted: cleanedUpAt)
 *       └────▶ FAILED ─────┘
 *
 * A record is open (in the runs table's open index, with `nextCheckAt`) while it is RESTORING or its
 * scratch cache is not yet known to be gone; a tick follows it there.
 */
import type { RunKind } from '#lib/runs/types';

export type RestoreTestStatus = 'RESTORING' | 'VERIFIED' | 'FAILED';

export const RESTORE_TEST_STATUSES = Object.keys({
  RESTORING: true,
  VERIFIED: true,
  FAILED: true,
} satisfies Record<RestoreTestStatus, true>) as [RestoreTestStatus, ...RestoreTestStatus[]];

/** The `kind` of every restore-test record (the runs table's kinds: SCHEDULED, ON_DEMAND, RESTORE_TEST). */
export const RESTORE_TEST_KIND = 'RESTORE_TEST' satisfies RunKind;

/** Identifies one restore test: the target (policy, cache) and the restore-test slot. */
export interface RestoreTestKey {
  readonly policyId: string;
  readonly cacheName: string;
  /** The restore-test slot (a CLI test: the minute it was asked for), UTC ISO-8601 with milliseconds. */
  readonly slot: string;
}

export interface RestoreTestError {
  readonly code: string;
  readonly message: string;
}

export interface RestoreTestRecord extends RestoreTestKey {
  readonly kind: typeof RESTORE_TEST_KIND;
  readonly status: RestoreTestStatus;
  /** The deterministic scratch cache name (lib/restore-tests/scratch-cache.ts). */
  readonly scratchCacheName: string;
  /** The snapshot restored: chosen when the Create is first made (absent before, and when there was none). */
  readonly snapshotName?: string;
  /** CreateServerlessCache calls made. */
  readonly attempts: number;
  /** The restored cache must be `available` by then (Create accepted + maxMinutes), else FAILED. */
  readonly deadlineAt: string;
  /** When CreateServerlessCache was first accepted (the restore's start). */
  readonly requestedAt?: string;
  /** When a tick first saw the scratch cache `available`. */
  readonly verifiedAt?: string;
  /** Seconds from the accepted Create to the scratch cache seen `available` (to a tick's resolution). */
  readonly restoreSeconds?: number;
  /** FAILED: why (`CreateFailed`, `RestoreTimeout`, the refusing service's code, …). */
  readonly lastError?: RestoreTestError;
  /** DeleteServerlessCache calls made for the scratch cache. */
  readonly deleteAttempts?: number;
  /** The last failed delete (kept until the cache is gone), so a stuck cleanup is visible on the record. */
  readonly cleanupError?: RestoreTestError;
  /** When the scratch cache was seen gone (or there never was one): the end of the test's life. */
  readonly cleanedUpAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When a tick should next look at it; absent once cleaned up (then it leaves the open index). */
  readonly nextCheckAt?: string;
  /** TTL, epoch seconds; set once cleaned up. */
  readonly expiresAt?: number;
  readonly account?: string;
  readonly region?: string;
}

/** Whether the record still needs a tick: RESTORING, or its scratch cache not yet gone. */
export function isOpenRestoreTest(record: RestoreTestRecord): boolean {
  return record.cleanedUpAt === undefined && record.nextCheckAt !== undefined;
}

/** Codes of the orchestrator's own restore-test failures (a refusing service's code is kept as it is). */
export const RESTORE_TEST_CODES = {
  /** ElastiCache could not create the scratch cache (`create-failed`). */
  createFailed: 'CreateFailed',
  /** The scratch cache was not `available` within `maxMinutes`. */
  timeout: 'RestoreTimeout',
  /** The target had no AVAILABLE snapshot to restore. */
  noSnapshot: 'NoAvailableSnapshot',
  /** No restore request could be made (planRestore's reason: source cache gone, engine unknown). */
  notRestorable: 'NotRestorable',
  /** The scratch cache disappeared (or was being deleted) before it was seen available. */
  vanished: 'ScratchCacheVanished',
  /** An error that was not a classified service fault. */
  internal: 'InternalError',
} as const;
