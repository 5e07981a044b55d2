import { logger, METRIC, recordMetric } from '#lib/observability';
import type { RunRecord, RunStatus } from './types';

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
  GONE: 'SnapshotsGone',
};

const WARN_STATUSES: ReadonlySet<RunStatus> = new Set(['RETRYING', 'MISSED', 'SKIPPED', 'GONE']);

/**
 * The one outcome line per run state change, with the stable field `outcome` for Logs Insights, and
 * its metric. FAILED logs at error, RETRYING, MISSED, SKIPPED and GONE at warn, the rest at info.
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
    goneNoticedBy: run.goneNoticedBy,
  };
  if (run.status === 'FAILED') logger.error('run outcome', fields);
  else if (WARN_STATUSES.has(run.status)) logger.warn('run outcome', fields);
  else logger.info('run outcome', fields);
  const metric = OUTCOME_METRIC[run.status];
  if (metric) recordMetric(METRIC[metric]);
  if (run.status === 'AVAILABLE' && run.bytesUsedForCache !== undefined) {
    recordMetric(METRIC.SnapshotBytes, run.bytesUsedForCache);
  }
}

/**
 * The outcome line of a write that changed only the run's export (docs/architecture.md, "Exports"), with
 * the stable field `outcome` = `EXPORT` and the export's status: FAILED at error, a retry's wait at warn,
 * the rest at info. No run metric: the snapshot's own outcome was counted when it became AVAILABLE.
 */
export function reportExportOutcome(run: RunRecord): void {
  const exported = run.export;
  if (exported === undefined) return;
  const fields = {
    outcome: 'EXPORT',
    exportStatus: exported.status,
    ...runFields(run),
    bucket: exported.bucket,
    key: exported.key,
    bytes: exported.bytes,
    replicaBucket: exported.replica?.bucket,
    exportAttempts: exported.attempts,
    errorCode: exported.lastError?.code,
    errorMessage: exported.lastError?.message,
    nextCheckAt: run.nextCheckAt,
  };
  if (exported.status === 'FAILED') logger.error('export outcome', fields);
  else if (exported.lastError) logger.warn('export outcome', fields);
  else logger.info('export outcome', fields);
}
