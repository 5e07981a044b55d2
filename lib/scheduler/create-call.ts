import { SnapshotServiceError } from '#lib/errors';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import { retryWithBackoff } from '#lib/retry/retry';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { counted } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import type { CreateSnapshotRequest, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import type { SchedulerDeps } from './deps';

/** How one round of Create calls ended: `run` has its calls counted in `attempts`. */
export type CreateAttempt =
  | { readonly run: RunRecord; readonly snapshot: SnapshotInfo }
  | { readonly run: RunRecord; readonly fault: SnapshotServiceError };

/** Any error as a classified service fault; one the gateway did not classify counts as transient. */
export function asServiceError(error: unknown): SnapshotServiceError {
  if (error instanceof SnapshotServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SnapshotServiceError(OUTCOME_CODE.InternalError, 'transient', message, { cause: error });
}

/**
 * Calls CreateServerlessCacheSnapshot for `run`, up to `maxAttempts` times: a transient fault is retried
 * with jittered in-tick backoff (on top of the SDK's own retries) while the deadline margin allows, each
 * retry logged and counted. Never throws: returns the snapshot, or the last fault, with the run's attempts
 * raised by the calls made.
 */
export async function callCreate(
  deps: SchedulerDeps,
  run: RunRecord,
  request: CreateSnapshotRequest,
  maxAttempts: number,
): Promise<CreateAttempt> {
  let calls = 0;
  const gateway = deps.placements.snapshots(placementOf(run));
  const attempt = (call: number) => {
    calls = call;
    return gateway.createSnapshot(request);
  };
  try {
    const snapshot = await retryWithBackoff(attempt, {
      maxAttempts,
      backoff: deps.settings.inTickBackoff,
      sleep: deps.sleep,
      random: deps.random,
      remainingMs: deps.remainingMs,
      marginMs: deps.settings.deadlineMarginMs,
      isRetryable: (error) => asServiceError(error).faultClass === 'transient',
      onRetry: (error, retry, delayMs) => {
        recordMetric(METRIC.Retries);
        logger.warn('retrying CreateServerlessCacheSnapshot', {
          ...runFields(run),
          retry,
          delayMs,
          errorCode: asServiceError(error).code,
        });
      },
    });
    return { run: counted(run, calls), snapshot };
  } catch (error) {
    return { run: counted(run, calls), fault: asServiceError(error) };
  }
}
