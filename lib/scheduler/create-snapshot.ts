import { SnapshotServiceError } from '#lib/errors';
import { applyRetention } from '#lib/lifecycle/retention';
import { logger } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import { findOwnSnapshot } from '#lib/runs/own-snapshot';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { requested, withOwnSnapshot } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import type { CreateSnapshotRequest, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import { asServiceError, type CreateAttempt, callCreate } from './create-call';
import type { SchedulerDeps, WorkItem } from './deps';
import { settleFault } from './settle-fault';
import { snapshotTagsFor } from './snapshot-tags';

/** What one run's Create came to. */
export interface CreateOutcome {
  /** The run as written. */
  readonly run: RunRecord;
  /** The cache is making a snapshot now (ours was accepted, or the service said busy): no other Create on it. */
  readonly cacheBusy: boolean;
}

function requestFor({ run, policy }: WorkItem, tags: Record<string, string>): CreateSnapshotRequest {
  return { snapshotName: run.snapshotName, cacheName: run.cacheName, kmsKeyId: policy.kmsKeyId, tags };
}

async function written(deps: SchedulerDeps, next: RunRecord, read: RunRecord): Promise<CreateOutcome> {
  await saveRun(deps, next, read);
  return { run: next, cacheBusy: next.status === 'REQUESTED' };
}

function accepted(deps: SchedulerDeps, run: RunRecord, snapshot: SnapshotInfo, read: RunRecord) {
  return written(deps, requested(run, snapshot, deps.clock(), deps.settings.pollIntervalMs), read);
}

/**
 * A taken name: our snapshot when it carries this deployment's mark for the run (lib/runs/own-snapshot.ts);
 * else the fault stands, saying whose the name is (or the lookup's fault).
 */
async function ownSnapshotOr(
  deps: SchedulerDeps,
  run: RunRecord,
  fault: SnapshotServiceError,
): Promise<SnapshotInfo | SnapshotServiceError> {
  try {
    const gateway = deps.placements.snapshots(placementOf(run));
    const own = await findOwnSnapshot(gateway, run, deps.settings.deploymentName);
    if (own.found === 'ours') return own.snapshot;
    if (own.found === 'none') return fault;
    const message = `snapshot name ${run.snapshotName} is already taken by a snapshot ${own.reason}`;
    return new SnapshotServiceError(fault.code, fault.faultClass, message, { cause: fault });
  } catch (error) {
    // Not knowing whose snapshot has the name is no reason to fail the slot: look again next time.
    return asServiceError(error);
  }
}

/**
 * Takes one claimed run through CreateServerlessCacheSnapshot with its tags (snapshotTagsFor: a fault there
 * settles the run without a call), handling each fault class as
 * docs/architecture.md says: transient faults are retried here with jittered backoff while time remains
 * (callCreate); our name already taken by this deployment's snapshot for the run is success, by anyone
 * else's FAILED with a reason that says whose; a quota fault prunes by retention
 * (room for this snapshot: with maxCount N the policy then holds N once it is made) and retries once; what
 * is left goes to nextAfterFault: a durable retry within the start window, or FAILED with the code.
 * Returns the record as written; never throws for a fault of the service.
 */
export async function createSnapshotForRun(deps: SchedulerDeps, item: WorkItem): Promise<CreateOutcome> {
  const read = item.run;
  const tags = await snapshotTagsFor(deps, item);
  if (tags.fault) return { run: await settleFault(deps, read, read, tags.fault), cacheBusy: false };
  const request = requestFor(item, tags.tags);
  let attempt: CreateAttempt = await callCreate(deps, read, request, deps.settings.createAttemptsPerTick);
  if ('snapshot' in attempt) return accepted(deps, attempt.run, attempt.snapshot, read);
  logger.warn('CreateServerlessCacheSnapshot failed', {
    ...runFields(read),
    errorCode: attempt.fault.code,
    faultClass: attempt.fault.faultClass,
    error: attempt.fault,
  });
  let fault = attempt.fault;
  if (fault.faultClass === 'already-exists') {
    const own = await ownSnapshotOr(deps, attempt.run, fault);
    if (own instanceof SnapshotServiceError) fault = own;
    else {
      const now = deps.clock();
      return written(deps, withOwnSnapshot(attempt.run, own, now, deps.settings.pollIntervalMs), read);
    }
  }
  if (fault.faultClass === 'quota' && (await applyRetention(deps, item.policy, 1, item.run.cacheName)) > 0) {
    attempt = await callCreate(deps, attempt.run, request, 1);
    if ('snapshot' in attempt) return accepted(deps, attempt.run, attempt.snapshot, read);
    fault = attempt.fault;
  }
  const next = await settleFault(deps, attempt.run, read, fault);
  return {
    run: next,
    cacheBusy: next.status === 'REQUESTED' || (next.status === 'RETRYING' && fault.faultClass === 'busy'),
  };
}
