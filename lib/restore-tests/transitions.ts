/**
 * Every change of a restore-test record, as pure functions returning the next record (docs/architecture.md,
 * "Restore tests"). `advanceRestoreTest` (advance.ts) decides which applies; saveRestoreTest writes it.
 */
import { addMs, DAY_MS, toIso } from '#lib/clock';
import type { PlacementRef } from '#lib/placements/placement';
import { scratchCacheName } from './scratch-cache';
import {
  RESTORE_TEST_KIND,
  type RestoreTestError,
  type RestoreTestKey,
  type RestoreTestRecord,
} from './types';

/** A new restore test of `key`, RESTORING and due at once: the Create is a tick's (or the CLI's) next step. */
export function newRestoreTest(
  key: RestoreTestKey,
  deployment: string,
  maxMinutes: number,
  now: Date,
  placement: PlacementRef = {},
): RestoreTestRecord {
  const at = toIso(now);
  return {
    ...key,
    ...(placement.account === undefined ? {} : { account: placement.account }),
    ...(placement.region === undefined ? {} : { region: placement.region }),
    kind: RESTORE_TEST_KIND,
    status: 'RESTORING',
    scratchCacheName: scratchCacheName({ deployment, ...key }),
    attempts: 0,
    deadlineAt: toIso(addMs(now, maxMinutes * 60_000)),
    createdAt: at,
    updatedAt: at,
    nextCheckAt: at,
  };
}

/** The earlier of `at` and the record's deadline: a test is never looked at later than its deadline. */
function checkBy(record: RestoreTestRecord, at: Date): string {
  return toIso(new Date(Math.min(at.getTime(), Date.parse(record.deadlineAt))));
}

/**
 * Taken by a tick just before it calls CreateServerlessCache: one more attempt, and the record looked at
 * again after `leaseMs` should the tick die before it records the answer (the next one looks for the cache).
 */
export function createStarting(
  record: RestoreTestRecord,
  snapshotName: string,
  now: Date,
  leaseMs: number,
): RestoreTestRecord {
  return {
    ...record,
    snapshotName,
    attempts: record.attempts + 1,
    updatedAt: toIso(now),
    nextCheckAt: toIso(addMs(now, leaseMs)),
  };
}

/** CreateServerlessCache accepted (or the cache found made): the restore runs; checked every poll. */
export function createAccepted(
  record: RestoreTestRecord,
  requestedAt: Date,
  now: Date,
  pollMs: number,
): RestoreTestRecord {
  return {
    ...record,
    requestedAt: record.requestedAt ?? toIso(requestedAt),
    updatedAt: toIso(now),
    nextCheckAt: checkBy(record, addMs(now, pollMs)),
  };
}

/** A Create that may succeed later (busy, throttled): tried again at `retryAt`, never past the deadline. */
export function createDeferred(
  record: RestoreTestRecord,
  error: RestoreTestError,
  now: Date,
  retryAt: Date,
): RestoreTestRecord {
  return { ...record, lastError: error, updatedAt: toIso(now), nextCheckAt: checkBy(record, retryAt) };
}

/** Still creating: looked at again after a poll, or at the deadline. */
export function stillRestoring(record: RestoreTestRecord, now: Date, pollMs: number): RestoreTestRecord {
  return { ...record, updatedAt: toIso(now), nextCheckAt: checkBy(record, addMs(now, pollMs)) };
}

/** The scratch cache is `available`: the snapshot restores. Its cleanup is due at once. */
export function verified(record: RestoreTestRecord, now: Date): RestoreTestRecord {
  const started = Date.parse(record.requestedAt ?? record.createdAt);
  const { lastError: _error, ...rest } = record;
  return {
    ...rest,
    status: 'VERIFIED',
    verifiedAt: toIso(now),
    restoreSeconds: Math.max(0, Math.round((now.getTime() - started) / 1000)),
    updatedAt: toIso(now),
    nextCheckAt: toIso(now),
  };
}

/** The test failed with `error`; its scratch cache (if any was made) is to be deleted at once. */
export function failed(record: RestoreTestRecord, error: RestoreTestError, now: Date): RestoreTestRecord {
  return { ...record, status: 'FAILED', lastError: error, updatedAt: toIso(now), nextCheckAt: toIso(now) };
}

/** DeleteServerlessCache accepted (the cache is `deleting`): looked at again until it is gone. */
export function deleteRequested(record: RestoreTestRecord, now: Date, pollMs: number): RestoreTestRecord {
  const { cleanupError: _error, ...rest } = record;
  return {
    ...rest,
    deleteAttempts: (record.deleteAttempts ?? 0) + 1,
    updatedAt: toIso(now),
    nextCheckAt: toIso(addMs(now, pollMs)),
  };
}

/** A delete refused or failed: kept on the record and tried again at `retryAt`, for as long as it takes. */
export function deleteFailed(
  record: RestoreTestRecord,
  error: RestoreTestError,
  now: Date,
  retryAt: Date,
): RestoreTestRecord {
  return {
    ...record,
    deleteAttempts: (record.deleteAttempts ?? 0) + 1,
    cleanupError: error,
    updatedAt: toIso(now),
    nextCheckAt: toIso(retryAt),
  };
}

/** The scratch cache is gone (or never existed): the record leaves the open index and expires by TTL. */
export function cleanedUp(record: RestoreTestRecord, now: Date, retentionDays: number): RestoreTestRecord {
  const { nextCheckAt: _next, cleanupError: _error, ...rest } = record;
  return {
    ...rest,
    cleanedUpAt: toIso(now),
    updatedAt: toIso(now),
    expiresAt: Math.floor((now.getTime() + retentionDays * DAY_MS) / 1000),
  };
}
