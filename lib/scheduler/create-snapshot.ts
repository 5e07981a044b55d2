import { toIso } from '#lib/clock';
import { SnapshotServiceError } from '#lib/errors';
import { durableRetryAt } from '#lib/lifecycle/deps';
import { logger, METRIC, recordMetric } from '#lib/observability';
import type { Policy } from '#lib/policy/types';
import { retryWithBackoff } from '#lib/retry/retry';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { findOwnSnapshot } from '#lib/runs/own-snapshot';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { counted, ended, requested, retrying, withOwnSnapshot } from '#lib/runs/transitions';
import type { RunError, RunRecord } from '#lib/runs/types';
import { managedTags, type SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import type { SchedulerDeps, WorkItem } from './deps';

/** Called on a quota fault: prunes what the policy's retention allows; returns how many it deleted. */
export type QuotaRelief = (policy: Policy) => Promise<number>;

function asServiceError(error: unknown): SnapshotServiceError {
  if (error instanceof SnapshotServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SnapshotServiceError(OUTCOME_CODE.InternalError, 'transient', message, { cause: error });
}

function toRunError(error: SnapshotServiceError): RunError {
  return { code: error.code, message: error.message.slice(0, 1000) };
}

/**
 * Records a durable retry after `error`, or, when the next retry would come after the start window closes,
 * FAILED with the fault code (see failUnlessCreated).
 */
export async function deferOrFail(
  deps: SchedulerDeps,
  run: RunRecord,
  read: RunRecord,
  error: RunError,
): Promise<RunRecord> {
  const now = deps.clock();
  const retryAt = durableRetryAt(deps, run.attempts + 1);
  const next =
    toIso(retryAt) > run.windowClosesAt
      ? await failUnlessCreated(deps, run, error)
      : retrying(run, error, retryAt, now);
  return finish(deps, next, read);
}

/**
 * Ends a run that gets no further attempt: FAILED with `reason`, unless one of its Creates took effect after
 * all (a dropped connection or a 5xx can hide a Create that went through), so a run is never recorded FAILED
 * while its snapshot exists. When that cannot be checked, the run stays a retry due at the end of its start
 * window (or now, if that has passed), where the next tick looks again.
 */
export async function failUnlessCreated(
  deps: SchedulerDeps,
  run: RunRecord,
  reason: RunError,
): Promise<RunRecord> {
  const now = deps.clock();
  if (run.attempts > 0) {
    try {
      const own = await findOwnSnapshot(deps.snapshots, run);
      if (own) return withOwnSnapshot(run, own, now, deps.settings.pollIntervalMs);
    } catch (error) {
      logger.warn('could not check whether the run’s snapshot was made; looking again before failing it', {
        ...runFields(run),
        error,
      });
      return retrying(run, reason, new Date(Math.max(now.getTime(), Date.parse(run.windowClosesAt))), now);
    }
  }
  return ended(run, 'FAILED', now, deps.settings.runRetentionDays, reason);
}

/**
 * Takes one claimed run through CreateServerlessCacheSnapshot, handling each fault class as DESIGN.md says:
 * transient faults are retried here with jittered backoff while time remains (on top of the SDK's own
 * retries), then become durable retries; a busy cache becomes a durable retry; a quota fault prunes by
 * retention and retries once; our own name already existing for our cache is success; everything else
 * ends FAILED with the code. Returns the record as written; never throws for a fault of the service.
 */
export async function createSnapshotForRun(
  deps: SchedulerDeps,
  item: WorkItem,
  relieveQuota: QuotaRelief,
): Promise<RunRecord> {
  const { policy } = item;
  const claimed = item.run;
  let run = claimed;
  const request = {
    snapshotName: run.snapshotName,
    cacheName: run.cacheName,
    kmsKeyId: policy.kmsKeyId,
    tags: { ...policy.tags, ...managedTags(run.policyId, run.slot) },
  };
  const callCreate = () => {
    run = counted(run);
    return deps.snapshots.createSnapshot(request);
  };
  const retryOptions = {
    maxAttempts: deps.settings.createAttemptsPerTick,
    backoff: deps.settings.inTickBackoff,
    sleep: deps.sleep,
    random: deps.random,
    remainingMs: deps.remainingMs,
    marginMs: deps.settings.deadlineMarginMs,
    isRetryable: (error: unknown) => asServiceError(error).faultClass === 'transient',
    onRetry: (error: unknown, retry: number, delayMs: number) => {
      recordMetric(METRIC.Retries);
      logger.warn('retrying CreateServerlessCacheSnapshot', {
        ...runFields(run),
        retry,
        delayMs,
        errorCode: asServiceError(error).code,
      });
    },
  };
  let fault: SnapshotServiceError;
  try {
    const snapshot = await retryWithBackoff(callCreate, retryOptions);
    return finish(deps, requested(run, snapshot, deps.clock(), deps.settings.pollIntervalMs), claimed);
  } catch (error) {
    fault = asServiceError(error);
  }
  logger.warn('CreateServerlessCacheSnapshot failed', {
    ...runFields(run),
    errorCode: fault.code,
    faultClass: fault.faultClass,
    error: fault,
  });
  if (fault.faultClass === 'already-exists') {
    let own: SnapshotInfo | undefined;
    try {
      own = await findOwnSnapshot(deps.snapshots, run);
    } catch (error) {
      // Not knowing whose snapshot has the name is no reason to fail the slot: look again next time.
      fault = asServiceError(error);
    }
    if (own) {
      return finish(deps, withOwnSnapshot(run, own, deps.clock(), deps.settings.pollIntervalMs), claimed);
    }
  }
  if (fault.faultClass === 'quota' && (await relieveQuota(policy)) > 0) {
    try {
      const snapshot = await callCreate();
      return finish(deps, requested(run, snapshot, deps.clock(), deps.settings.pollIntervalMs), claimed);
    } catch (error) {
      fault = asServiceError(error);
    }
  }
  if (fault.faultClass === 'transient' || fault.faultClass === 'busy' || fault.faultClass === 'quota') {
    return deferOrFail(deps, run, claimed, toRunError(fault));
  }
  return finish(
    deps,
    ended(run, 'FAILED', deps.clock(), deps.settings.runRetentionDays, toRunError(fault)),
    claimed,
  );
}

async function finish(deps: SchedulerDeps, next: RunRecord, read: RunRecord): Promise<RunRecord> {
  await saveRun(deps, next, read);
  return next;
}
