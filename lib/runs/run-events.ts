import { DETAIL_TYPE, type StateEvent } from '#lib/state-events/event-bus';
import type { FlushReport } from '#lib/state-events/publisher';
import type { ExportStatus, RunRecord, RunStatus } from './types';

/** The account and region a run's event names while run records carry none (until issue 17: the orchestrator's own). */
export interface EventOrigin {
  readonly account: string | null;
  readonly region: string | null;
}

/** Fields a later issue adds to run records (`account`, `region`: issue 17). */
interface LaterRunFields {
  readonly account?: string;
  readonly region?: string;
}

/** The longest error message an event carries (service messages are short; this keeps every entry small). */
const MAX_MESSAGE_LENGTH = 1_024;

/**
 * The contract's event for `run` having become `run.status` from `previousStatus` (null: the run's first
 * record): `detail` = `{ policyId, cacheName, slot, kind, status, previousStatus, snapshotName, attempts,
 * error, account, region }` (docs/architecture.md, "Events"), at the time of the change (`updatedAt`).
 */
export function runChangeEvent(
  run: RunRecord,
  previousStatus: RunStatus | null,
  origin: EventOrigin,
): StateEvent {
  const later = run as RunRecord & LaterRunFields;
  const error = run.lastError
    ? { code: run.lastError.code, message: run.lastError.message.slice(0, MAX_MESSAGE_LENGTH) }
    : null;
  return {
    detailType: DETAIL_TYPE.run,
    time: new Date(run.updatedAt),
    detail: {
      policyId: run.policyId,
      cacheName: run.cacheName,
      slot: run.slot,
      kind: run.kind,
      status: run.status,
      previousStatus,
      snapshotName: run.snapshotName,
      attempts: run.attempts,
      error,
      account: later.account ?? origin.account,
      region: later.region ?? origin.region,
    },
  };
}

/**
 * The contract's event for the run's export having become `run.export.status` from `previousStatus` (null:
 * the run had no export): the run's detail (docs/architecture.md, "Events") with `status` and
 * `previousStatus` the export's, `attempts` its export calls and `error` its last error.
 */
export function exportChangeEvent(
  run: RunRecord,
  previousStatus: ExportStatus | null,
  origin: EventOrigin,
): StateEvent | undefined {
  const exported = run.export;
  if (exported === undefined) return undefined;
  const base = runChangeEvent(run, null, origin);
  const error = exported.lastError
    ? { code: exported.lastError.code, message: exported.lastError.message.slice(0, MAX_MESSAGE_LENGTH) }
    : null;
  return {
    detailType: DETAIL_TYPE.export,
    time: base.time,
    detail: { ...base.detail, status: exported.status, previousStatus, attempts: exported.attempts, error },
  };
}

/**
 * The status operators last saw of a run read as `read` (undefined: no record yet), for `previousStatus`.
 * CLAIMED is looked through: a claim is the orchestrator's internal lease on a slot (the contract's statuses
 * are those operators see; it lasts the moment between the claim and the Create, and an event for it would
 * double the events of every snapshot), so no event is published for it. A claim keeps the error of the
 * retry it was taken from (lib/runs/transitions.ts, `reclaimed`), and a fresh claim has none: a claim with
 * an error was RETRYING before, one without was the run's first record.
 */
export function previousStatusOf(read: RunRecord | undefined): RunStatus | null {
  if (!read) return null;
  if (read.status !== 'CLAIMED') return read.status;
  return read.lastError ? 'RETRYING' : null;
}

/** Where run events go: a publisher of state events (lib/state-events/publisher.ts). */
export interface StateEventPublisher {
  publish(event: StateEvent): void;
  flush(remainingMs: number): Promise<FlushReport>;
}

/** What run writes tell (SaveRunDeps.events): each change, then a flush at the end of the invocation. */
export interface RunEventSink {
  /** `next` was written over `read` (undefined: `next` is the run's first record). */
  changed(next: RunRecord, read: RunRecord | undefined): void;
  /**
   * Queues another state change of the invocation (a restore test's: lib/restore-tests), to go out with
   * the runs' in the same flush.
   */
  publish(event: StateEvent): void;
  /** The account and region of records that carry none. */
  readonly origin: EventOrigin;
  /** Sends what is queued, waiting at most the publisher's bound and never into the invocation's end. */
  flush(remainingMs: number): Promise<FlushReport>;
}

/**
 * One event per status change a run write makes, to `publisher`: none for a claim (previousStatusOf), none
 * when the status operators saw stays (a retry that finds the cache busy again is still RETRYING); and one
 * `Snapshot Export State Change` per change of the export's status (none while an export waits or retries).
 */
export function runEventSink(publisher: StateEventPublisher, origin: EventOrigin): RunEventSink {
  return {
    changed(next, read) {
      if (next.status === 'CLAIMED') return;
      const previous = previousStatusOf(read);
      if (previous !== next.status) publisher.publish(runChangeEvent(next, previous, origin));
      const exportBefore = read?.export?.status ?? null;
      if (next.export !== undefined && next.export.status !== exportBefore) {
        const event = exportChangeEvent(next, exportBefore, origin);
        if (event) publisher.publish(event);
      }
    },
    publish: (event) => publisher.publish(event),
    origin,
    flush: (remainingMs) => publisher.flush(remainingMs),
  };
}
