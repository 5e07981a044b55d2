import { addMs, DAY_MS, toIso } from '#lib/clock';
import type { SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import { OUTCOME_CODE } from './outcome-codes';
import type { GoneNoticedBy, RunError, RunKey, RunRecord, RunStatus } from './types';

/**
 * The run lifecycle as pure functions: each returns the next record, with exactly the fields its status
 * carries (retryAt only while RETRYING, a lease only while CLAIMED, a TTL only once terminal). The caller
 * writes it with RunStore.transition, conditional on the status and lease owner it read.
 * `leaseOwner` is kept after a claim ends: it versions the record, so a tick holding an old read can
 * never write over a newer attempt (no A-B-A).
 */

export interface NewRun extends RunKey {
  readonly account: string;
  readonly region: string;
  readonly snapshotName: string;
  readonly keep?: true;
  readonly windowClosesAt: string;
}

type Fields = Omit<RunRecord, 'status' | 'updatedAt'>;

/**
 * The record in `status` with the status-specific fields cleared. `lastError` explains the status it is on
 * (RETRYING, FAILED, …): it is dropped unless `keepError` (a claim keeps it while the retry is in flight).
 */
function withStatus(base: Fields, status: RunStatus, now: Date, keepError = false): RunRecord {
  const {
    retryAt: _retryAt,
    leaseExpiresAt: _lease,
    nextCheckAt: _next,
    expiresAt: _expires,
    lastError,
    ...rest
  } = base;
  const record: RunRecord = { ...rest, status, updatedAt: toIso(now) };
  return keepError && lastError ? { ...record, lastError } : record;
}

function terminalExpiry(now: Date, retentionDays: number): number {
  return Math.floor(addMs(now, retentionDays * DAY_MS).getTime() / 1000);
}

/** A fresh claim of a slot by `owner`, held until the lease expires. */
export function claimedRun(run: NewRun, owner: string, now: Date, leaseMs: number): RunRecord {
  const leaseExpiresAt = toIso(addMs(now, leaseMs));
  return {
    ...run,
    status: 'CLAIMED',
    attempts: 0,
    createdAt: toIso(now),
    updatedAt: toIso(now),
    leaseOwner: owner,
    leaseExpiresAt,
    nextCheckAt: leaseExpiresAt,
  };
}

/** A slot that will never run, recorded as MISSED with the reason. */
export function missedRun(run: NewRun, reason: RunError, now: Date, retentionDays: number): RunRecord {
  return {
    ...run,
    status: 'MISSED',
    attempts: 0,
    lastError: reason,
    createdAt: toIso(now),
    updatedAt: toIso(now),
    expiresAt: terminalExpiry(now, retentionDays),
  };
}

/** `owner` takes the run (a new claim, a durable retry coming due, or a crashed tick's claim). */
export function reclaimed(run: RunRecord, owner: string, now: Date, leaseMs: number): RunRecord {
  const leaseExpiresAt = toIso(addMs(now, leaseMs));
  return {
    ...withStatus(run, 'CLAIMED', now, true),
    leaseOwner: owner,
    leaseExpiresAt,
    nextCheckAt: leaseExpiresAt,
  };
}

/** The Create was accepted: the snapshot is being made; completion is polled from `nextCheckAt`. */
export function requested(run: RunRecord, snapshot: SnapshotInfo, now: Date, pollMs: number): RunRecord {
  return {
    ...withStatus(run, 'REQUESTED', now),
    snapshotArn: snapshot.arn,
    requestedAt: run.requestedAt ?? toIso(now),
    nextCheckAt: toIso(addMs(now, pollMs)),
  };
}

/** A durable retry: a later tick picks the run up at `retryAt`. */
export function retrying(run: RunRecord, error: RunError, retryAt: Date, now: Date): RunRecord {
  const at = toIso(retryAt);
  return { ...withStatus(run, 'RETRYING', now), lastError: error, retryAt: at, nextCheckAt: at };
}

/** The snapshot exists and is complete. */
export function available(run: RunRecord, snapshot: SnapshotInfo, now: Date): RunRecord {
  return {
    ...withStatus(run, 'AVAILABLE', now),
    snapshotArn: snapshot.arn,
    bytesUsedForCache: snapshot.bytesUsedForCache,
    completedAt: toIso(now),
  };
}

/**
 * The run once its own snapshot is known to exist (a Create that took effect unseen, or a name already
 * taken by our snapshot): AVAILABLE when the snapshot is complete, else REQUESTED.
 */
export function withOwnSnapshot(
  run: RunRecord,
  snapshot: SnapshotInfo,
  now: Date,
  pollMs: number,
): RunRecord {
  return snapshot.status === 'available'
    ? available(run, snapshot, now)
    : requested(run, snapshot, now, pollMs);
}

/** Retention decided to delete the run's snapshot; the deletion is (re)tried from `nextCheckAt`. */
export function pruning(run: RunRecord, now: Date, nextCheckAt: Date, error?: RunError): RunRecord {
  const record = { ...withStatus(run, 'PRUNING', now), nextCheckAt: toIso(nextCheckAt) };
  return error ? { ...record, lastError: error } : record;
}

/** A terminal status (FAILED, MISSED, SKIPPED, PRUNED) with its reason, kept `retentionDays` then expired. */
export function ended(
  run: RunRecord,
  status: 'FAILED' | 'MISSED' | 'SKIPPED' | 'PRUNED',
  now: Date,
  retentionDays: number,
  reason?: RunError,
): RunRecord {
  const record: RunRecord = {
    ...withStatus(run, status, now),
    expiresAt: terminalExpiry(now, retentionDays),
  };
  const stamped = status === 'PRUNED' ? { ...record, prunedAt: toIso(now) } : record;
  return reason ? { ...stamped, lastError: reason } : stamped;
}

/**
 * The run's snapshot was deleted outside the orchestrator: GONE, terminal, with when and by which check it
 * was noticed and `message` (what was seen) as the SnapshotGone reason.
 */
export function gone(
  run: RunRecord,
  noticedBy: GoneNoticedBy,
  message: string,
  now: Date,
  retentionDays: number,
): RunRecord {
  return {
    ...withStatus(run, 'GONE', now),
    lastError: { code: OUTCOME_CODE.SnapshotGone, message },
    goneAt: toIso(now),
    goneNoticedBy: noticedBy,
    expiresAt: terminalExpiry(now, retentionDays),
  };
}

/** The run with `calls` more Create attempts counted. */
export function counted(run: RunRecord, calls = 1): RunRecord {
  return { ...run, attempts: run.attempts + calls };
}
