import type { Clock } from '#lib/clock';
import { ConditionalWriteError } from '#lib/errors';
import { logger } from '#lib/observability';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { RunEventSink } from '#lib/runs/run-events';
import { restoreTestEvents } from './restore-test-events';
import type { RestoreTestStore } from './restore-test-store';
import type { RestoreTestRecord } from './types';

/** What writing a restore-test record touches. */
export interface SaveRestoreTestDeps {
  readonly restoreTests: Pick<RestoreTestStore, 'transition'>;
  readonly policies: Pick<PolicyStore, 'recordRestoreTest'>;
  readonly clock: Clock;
  /** The invocation's state-change events (none: nothing is published). */
  readonly events?: Pick<RunEventSink, 'publish' | 'origin'>;
}

/** The fields naming a restore test on each of its log lines. */
export function restoreTestFields(record: RestoreTestRecord): Record<string, unknown> {
  return {
    policyId: record.policyId,
    cacheName: record.cacheName,
    slot: record.slot,
    kind: record.kind,
    scratchCacheName: record.scratchCacheName,
    snapshotName: record.snapshotName,
  };
}

/**
 * The outcome line of a status change (field `outcome`: `RestoreTestVerified`, `RestoreTestFailed`,
 * `RestoreTestStarted`) and of a cleanup (`ScratchCacheDeleted`; a failed delete is `ScratchCacheDeleteFailed`,
 * at error, every time).
 */
function report(next: RestoreTestRecord, read: RestoreTestRecord): void {
  const fields = {
    ...restoreTestFields(next),
    status: next.status,
    attempts: next.attempts,
    restoreSeconds: next.restoreSeconds,
    errorCode: next.lastError?.code,
    errorMessage: next.lastError?.message,
  };
  if (next.status !== read.status && next.status === 'FAILED') {
    logger.error('restore test outcome', { outcome: 'RestoreTestFailed', ...fields });
  } else if (next.status !== read.status) {
    logger.info('restore test outcome', { outcome: 'RestoreTestVerified', ...fields });
  } else if (read.attempts === 0 && next.attempts > 0) {
    logger.info('restore test outcome', { outcome: 'RestoreTestStarted', ...fields });
  }
  if (next.cleanedUpAt !== undefined && read.cleanedUpAt === undefined) {
    logger.info('scratch cache gone', {
      outcome: 'ScratchCacheDeleted',
      ...fields,
      deleteAttempts: next.deleteAttempts,
    });
  } else if (next.cleanupError !== undefined && next.deleteAttempts !== read.deleteAttempts) {
    logger.error('could not delete the scratch cache; trying again', {
      outcome: 'ScratchCacheDeleteFailed',
      ...fields,
      deleteAttempts: next.deleteAttempts,
      errorCode: next.cleanupError.code,
      errorMessage: next.cleanupError.message,
      nextCheckAt: next.nextCheckAt,
    });
  }
}

/**
 * Writes `next` over the record if it is still as `read` (same `updatedAt`), then logs the outcome,
 * publishes the status change and records the policy's restore-test summary. False when another tick (or
 * the CLI) changed the record first: nothing written, that one carries on. The one way a restore test changes.
 */
export async function saveRestoreTest(
  deps: SaveRestoreTestDeps,
  next: RestoreTestRecord,
  read: RestoreTestRecord,
): Promise<boolean> {
  try {
    await deps.restoreTests.transition(next, { updatedAt: read.updatedAt });
  } catch (error) {
    if (!(error instanceof ConditionalWriteError)) throw error;
    logger.info('restore test changed by another tick; leaving it to that one', restoreTestFields(next));
    return false;
  }
  report(next, read);
  if (deps.events) {
    for (const event of restoreTestEvents(next, read, deps.events.origin)) deps.events.publish(event);
  }
  if (next.status !== read.status) await summarize(deps, next);
  return true;
}

/** The policy's restore-test summary (what RestoreTestAgeDays is computed from); a failure is logged only. */
async function summarize(deps: SaveRestoreTestDeps, record: RestoreTestRecord): Promise<void> {
  try {
    await deps.policies.recordRestoreTest(record.policyId, {
      cacheName: record.cacheName,
      slot: record.slot,
      status: record.status,
      at: record.updatedAt,
      ...(record.verifiedAt ? { verifiedAt: record.verifiedAt } : {}),
      ...(record.restoreSeconds === undefined ? {} : { restoreSeconds: record.restoreSeconds }),
      ...(record.lastError ? { errorCode: record.lastError.code } : {}),
    });
  } catch (error) {
    logger.warn('could not record the restore test on the policy', { ...restoreTestFields(record), error });
  }
}
