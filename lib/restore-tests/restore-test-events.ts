import type { EventOrigin } from '#lib/runs/run-events';
import { DETAIL_TYPE, type StateEvent } from '#lib/state-events/event-bus';
import type { RestoreTestRecord, RestoreTestStatus } from './types';

/** The longest error message an event carries, as for runs. */
const MAX_MESSAGE_LENGTH = 1_024;

/**
 * The contract's `Restore Test State Change` for `record` having become `record.status` from
 * `previousStatus` (null: the test's start): `detail` = `{ policyId, cacheName, slot, kind, status,
 * previousStatus, snapshotName, attempts, error, account, region }` (docs/architecture.md, "Events"),
 * `snapshotName` the snapshot restored (null when there was none), `attempts` the Create calls made.
 */
export function restoreTestChangeEvent(
  record: RestoreTestRecord,
  previousStatus: RestoreTestStatus | null,
  origin: EventOrigin,
): StateEvent {
  const error = record.lastError
    ? { code: record.lastError.code, message: record.lastError.message.slice(0, MAX_MESSAGE_LENGTH) }
    : null;
  return {
    detailType: DETAIL_TYPE.restoreTest,
    time: new Date(record.updatedAt),
    detail: {
      policyId: record.policyId,
      cacheName: record.cacheName,
      slot: record.slot,
      kind: record.kind,
      status: record.status,
      previousStatus,
      snapshotName: record.snapshotName ?? null,
      attempts: record.attempts,
      error,
      account: record.account ?? origin.account,
      region: record.region ?? origin.region,
    },
  };
}

/**
 * The events a write of `next` over `read` publishes: the start (RESTORING, from null) when a tick first
 * works on a test (`read.attempts` 0 and nothing was published for it: records are created by reconcile or
 * the CLI, which publish nothing), then the status change, if any. A write that only moves the check time or
 * records a cleanup publishes nothing (cleanup is not a status).
 */
export function restoreTestEvents(
  next: RestoreTestRecord,
  read: RestoreTestRecord,
  origin: EventOrigin,
): StateEvent[] {
  const events: StateEvent[] = [];
  const starting = read.attempts === 0 && read.status === 'RESTORING' && next.updatedAt !== read.updatedAt;
  if (starting && (next.attempts > 0 || next.status !== 'RESTORING')) {
    events.push(restoreTestChangeEvent({ ...read, updatedAt: next.updatedAt }, null, origin));
  }
  if (next.status !== read.status) events.push(restoreTestChangeEvent(next, read.status, origin));
  return events;
}
