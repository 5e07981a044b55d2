import { toIso } from '#lib/clock';
import { ConditionalWriteError } from '#lib/errors';
import { logger, METRIC, recordMetric } from '#lib/observability';
import type { RunRecord, RunStatus } from '#lib/runs/types';
import type { SchedulerDeps } from './deps';

/**
 * The fields that identify a run on every log line of its work. Passed per call rather than with
 * `logger.appendKeys`, because a tick works on many policies at once and appended keys are shared.
 */
export function runFields(run: RunRecord): Record<string, string> {
  return { policyId: run.policyId, cacheName: run.cacheName, slot: run.slot, snapshotName: run.snapshotName };
}

const OUTCOME_METRIC: Partial<Record<RunStatus, keyof typeof METRIC>> = {
  REQUESTED: 'SnapshotsRequested',
  RETRYING: 'Retries',
  FAILED: 'SnapshotsFailed',
  MISSED: 'Missed',
  AVAILABLE: 'SnapshotsAvailable',
  PRUNED: 'SnapshotsPruned',
};

/**
 * The one outcome line per run state change, with the stable field `outcome` for Logs Insights, and
 * its metric. FAILED logs at error, RETRYING and MISSED at warn, the rest at info.
 */
export function reportOutcome(run: RunRecord): void {
  if (run.status === 'CLAIMED') {
    logger.debug('run claimed', { ...runFields(run), leaseExpiresAt: run.leaseExpiresAt });
    return;
  }
  const fields = {
    outcome: run.status,
    ...runFields(run),
    attempts: run.attempts,
    errorCode: run.lastError?.code,
    errorMessage: run.lastError?.message,
    snapshotArn: run.snapshotArn,
    retryAt: run.retryAt,
    bytesUsedForCache: run.bytesUsedForCache,
  };
  if (run.status === 'FAILED') logger.error('run outcome', fields);
  else if (run.status === 'RETRYING' || run.status === 'MISSED' || run.status === 'SKIPPED') {
    logger.warn('run outcome', fields);
  } else logger.info('run outcome', fields);
  const metric = OUTCOME_METRIC[run.status];
  if (metric) recordMetric(METRIC[metric]);
  if (run.status === 'AVAILABLE' && run.bytesUsedForCache !== undefined) {
    recordMetric(METRIC.SnapshotBytes, run.bytesUsedForCache);
  }
}

/** Statuses worth keeping as the policy's "last run" summary (not the internal CLAIMED/PRUNING steps). */
const SUMMARY_STATUSES: ReadonlySet<RunStatus> = new Set([
  'REQUESTED',
  'RETRYING',
  'AVAILABLE',
  'FAILED',
  'MISSED',
  'SKIPPED',
]);

async function summarize(deps: SchedulerDeps, run: RunRecord): Promise<void> {
  if (!SUMMARY_STATUSES.has(run.status)) return;
  const at = toIso(deps.clock());
  try {
    await deps.policies.recordLastRun(run.policyId, {
      slot: run.slot,
      status: run.status,
      at,
      ...(run.lastError ? { errorCode: run.lastError.code } : {}),
    });
    if (run.status === 'AVAILABLE') {
      await deps.policies.recordNewestSnapshot(run.policyId, {
        slot: run.slot,
        snapshotName: run.snapshotName,
        takenAt: run.requestedAt ?? run.slot,
        availableAt: run.completedAt ?? at,
      });
    }
  } catch (error) {
    // The run record itself is written; only the summaries on the policy item are behind.
    logger.warn('could not record the run summary on the policy', { ...runFields(run), error });
  }
}

/**
 * Writes `next` over the run if it is still as `read` left it (same status and lease owner), then
 * reports the outcome. Returns false when another tick changed the run first (nothing written).
 */
export async function saveRun(deps: SchedulerDeps, next: RunRecord, read: RunRecord): Promise<boolean> {
  try {
    await deps.runs.transition(next, {
      status: read.status,
      ...(read.leaseOwner ? { leaseOwner: read.leaseOwner } : {}),
    });
  } catch (error) {
    if (error instanceof ConditionalWriteError) {
      logger.info('run changed by another tick; leaving it to that tick', {
        ...runFields(next),
        to: next.status,
      });
      return false;
    }
    throw error;
  }
  reportOutcome(next);
  deps.observe?.(next);
  await summarize(deps, next);
  return true;
}

/** Creates a run record that starts terminal (a MISSED slot); false when the slot already has a record. */
export async function saveNewRun(deps: SchedulerDeps, run: RunRecord): Promise<boolean> {
  const existing = await deps.runs.create(run);
  if (existing) return false;
  reportOutcome(run);
  deps.observe?.(run);
  await summarize(deps, run);
  return true;
}
