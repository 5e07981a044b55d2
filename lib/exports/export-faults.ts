import { toIso } from '#lib/clock';
import { ObjectStoreError, SnapshotServiceError } from '#lib/errors';
import { durableRetryAt } from '#lib/retry/retry';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import type { RunError, RunRecord } from '#lib/runs/types';
import type { ExportDeps } from './deps';
import { exportFailed, exportOf, exportWaiting } from './export-state';

/** A fault of an export step, as the run records it, and whether trying again may help. */
export interface ExportFault {
  readonly error: RunError;
  readonly retry: boolean;
}

/**
 * Classifies any error of an export step by the fault classes of ElastiCache and S3 (lib/errors.ts): a busy
 * snapshot and transient faults (throttling, 5xx, network) may pass; a missing bucket, key or snapshot, a
 * refusal (wrong region, write not granted, access denied) will not. The code is the service's and the
 * message names the bucket. An error that is no classified fault is kept as InternalError and retried:
 * the deadline still ends it.
 */
export function exportFaultOf(error: unknown): ExportFault {
  if (error instanceof SnapshotServiceError || error instanceof ObjectStoreError) {
    const retry = error.faultClass === 'transient' || error.faultClass === 'busy';
    return { error: { code: error.code, message: error.message.slice(0, 1000) }, retry };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { error: { code: OUTCOME_CODE.InternalError, message: message.slice(0, 1000) }, retry: true };
}

/**
 * What follows a fault: a durable retry (the export waits, with the error, a backoff away) while it may pass
 * and the export's `giveUpAt` has not come, else FAILED with the fault. Nothing is retried forever.
 */
export function afterExportFault(deps: ExportDeps, run: RunRecord, fault: ExportFault, owner: string) {
  const now = deps.clock();
  const exported = exportOf(run);
  if (fault.retry && toIso(now) < exported.giveUpAt) {
    return exportWaiting(run, now, owner, durableRetryAt(deps, exported.attempts + 1), fault.error);
  }
  const error = fault.retry
    ? {
        code: OUTCOME_CODE.ExportTimeout,
        message:
          `export to bucket "${exported.bucket}" given up at ${exported.giveUpAt}; last fault ${fault.error.code}: ${fault.error.message}`.slice(
            0,
            1000,
          ),
      }
    : fault.error;
  return exportFailed(run, error, now, owner);
}
