/**
 * One step of a restore test, as a tick (or the CLI) finds it: make or look for the scratch cache, judge
 * the restore, delete the scratch cache (docs/architecture.md, "Restore tests"). Every change is one
 * conditional write (saveRestoreTest): two ticks on the same test never both act on it.
 */

import { AssumeRoleError } from '#lib/errors';
import { placementOf } from '#lib/placements/placement';
import { durableRetryAt } from '#lib/retry/retry';
import { cleanUpScratchCache } from './clean-up';
import { createScratchCache } from './create-scratch-cache';
import type { RestoreTestDeps, RestoreTestStepDeps } from './restore-test-deps';
import { errorOf, write } from './steps';
import { createAccepted, createDeferred, failed, verified } from './transitions';
import { RESTORE_TEST_CODES, type RestoreTestRecord } from './types';

/**
 * A RESTORING test one step on. Before a Create was accepted: a scratch cache an unrecorded Create made is
 * adopted, else the Create is made (or the test fails once past its deadline). After: the cache `available`
 * is VERIFIED, `create-failed` or gone is FAILED, still creating past the deadline is FAILED
 * (RestoreTimeout); still creating within it, nothing is written (the open listing shows it next tick).
 */
async function restoreStep(deps: RestoreTestStepDeps, read: RestoreTestRecord) {
  const now = deps.clock();
  const pastDeadline = now.toISOString() >= read.deadlineAt;
  if (read.requestedAt === undefined) {
    const made = read.attempts > 0 ? await deps.snapshots.getCache(read.scratchCacheName) : undefined;
    if (made)
      return write(
        deps,
        createAccepted(read, made.createTime ?? now, now, deps.settings.pollIntervalMs),
        read,
      );
    if (pastDeadline) {
      const message = `no Create of the scratch cache was accepted within ${minutesTo(read)} minutes`;
      return write(deps, failed(read, { code: RESTORE_TEST_CODES.timeout, message }, now), read);
    }
    return createScratchCache(deps, read);
  }
  const cache = await deps.snapshots.getCache(read.scratchCacheName);
  if (cache?.status === 'available') return write(deps, verified(read, now), read);
  if (cache === undefined || cache.status === 'deleting') {
    const message = `scratch cache ${read.scratchCacheName} is ${cache ? 'being deleted' : 'gone'} before it became available`;
    return write(deps, failed(read, { code: RESTORE_TEST_CODES.vanished, message }, now), read);
  }
  if (cache.status === 'create-failed') {
    const message = `ElastiCache could not restore snapshot ${read.snapshotName} into ${read.scratchCacheName} (create-failed)`;
    return write(deps, failed(read, { code: RESTORE_TEST_CODES.createFailed, message }, now), read);
  }
  if (pastDeadline) {
    const message = `scratch cache ${read.scratchCacheName} was still ${cache.status} after ${minutesTo(read)} minutes`;
    return write(deps, failed(read, { code: RESTORE_TEST_CODES.timeout, message }, now), read);
  }
  return read;
}

/**
 * restoreStep in an account that may be out of reach: when the member role cannot be assumed
 * (AssumeRoleError) the test ends FAILED with `AssumeRoleFailed` at once if STS refused (`terminal`, as a
 * scheduled run in that account ends), else (STS throttled or out of reach) the step is tried again with
 * backoff, never past the test's deadline. Nothing was made in that account by this step:
 * every call into it failed before reaching ElastiCache. The failed AssumeRole itself was logged and counted
 * (AssumeRoleFailures) by the placement's clients.
 */
async function restoreStepInReach(deps: RestoreTestStepDeps, read: RestoreTestRecord) {
  try {
    return await restoreStep(deps, read);
  } catch (error) {
    if (!(error instanceof AssumeRoleError)) throw error;
    const now = deps.clock();
    if (error.faultClass === 'terminal' || now.toISOString() >= read.deadlineAt) {
      return write(deps, failed(read, errorOf(error), now), read);
    }
    const at = durableRetryAt(deps, Math.max(1, read.attempts));
    return write(deps, createDeferred(read, errorOf(error), now, at), read);
  }
}

/** The test's allowance in whole minutes (creation to deadline), for messages. */
function minutesTo(record: RestoreTestRecord): number {
  return Math.round((Date.parse(record.deadlineAt) - Date.parse(record.createdAt)) / 60_000);
}

/**
 * Everything due of `record` now, in the test's own account and region (the record's `account` and
 * `region`, those of its policy; a record naming none: the orchestrator's own): the restore step while
 * RESTORING, then, once VERIFIED or FAILED, the scratch cache's cleanup (the same call, so a test judged in a
 * tick has its delete asked in it too). Returns the record as left (the read one when another writer came
 * first).
 */
export async function advanceRestoreTest(
  placed: RestoreTestDeps,
  record: RestoreTestRecord,
): Promise<RestoreTestRecord> {
  const { placements, ...rest } = placed;
  const deps: RestoreTestStepDeps = { ...rest, snapshots: placements.snapshots(placementOf(record)) };
  let current = record;
  if (current.status === 'RESTORING') {
    const next = await restoreStepInReach(deps, current);
    if (next === undefined) return current;
    current = next;
  }
  if (current.status === 'RESTORING' || current.cleanedUpAt !== undefined) return current;
  if (current.nextCheckAt !== undefined && current.nextCheckAt > deps.clock().toISOString()) return current;
  return (await cleanUpScratchCache(deps, current)) ?? current;
}
