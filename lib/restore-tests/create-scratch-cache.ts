import { SnapshotServiceError } from '#lib/errors';
import { durableRetryAt } from '#lib/retry/retry';
import { newestAvailableSnapshot } from './newest-snapshot';
import { planRestore } from './restore-request';
import type { RestoreTestStepDeps } from './restore-test-deps';
import { scratchCacheTags } from './scratch-cache';
import { errorOf, write } from './steps';
import { createAccepted, createDeferred, createStarting, failed } from './transitions';
import { RESTORE_TEST_CODES, type RestoreTestRecord } from './types';

/**
 * CreateServerlessCache of the test's scratch cache from the target's newest AVAILABLE snapshot (the one
 * chosen by the first attempt on later ones), in the source cache's network with the scratch tags. The
 * attempt is recorded before the call (createStarting), so a tick that dies in it leaves the record to be
 * looked at after the lease, and of two ticks only one calls. No snapshot, or no request possible: FAILED.
 */
export async function createScratchCache(
  deps: RestoreTestStepDeps,
  read: RestoreTestRecord,
): Promise<RestoreTestRecord | undefined> {
  const now = deps.clock();
  const snapshot =
    read.snapshotName === undefined
      ? await newestAvailableSnapshot(deps, read.policyId, read.cacheName)
      : await deps.snapshots.getSnapshot(read.snapshotName);
  if (snapshot === undefined) {
    const message =
      read.snapshotName === undefined
        ? `cache ${read.cacheName} has no AVAILABLE snapshot of policy ${read.policyId} to restore`
        : `snapshot ${read.snapshotName} no longer exists`;
    return write(deps, failed(read, { code: RESTORE_TEST_CODES.noSnapshot, message }, now), read);
  }
  const source = await deps.snapshots.getCache(read.cacheName);
  const key = {
    deployment: deps.deployment,
    policyId: read.policyId,
    cacheName: read.cacheName,
    slot: read.slot,
  };
  const plan = planRestore({ name: read.scratchCacheName, snapshot, source, tags: scratchCacheTags(key) });
  if (!plan.ok) {
    return write(
      deps,
      failed(read, { code: RESTORE_TEST_CODES.notRestorable, message: plan.reason }, now),
      read,
    );
  }
  const claimed = await write(deps, createStarting(read, snapshot.name, now, deps.settings.leaseMs), read);
  if (claimed === undefined) return undefined;
  const { pollIntervalMs } = deps.settings;
  try {
    await deps.snapshots.createCache(plan.request);
  } catch (error) {
    // A taken name is this test's own cache: the name is a hash of (deployment, policy, cache, slot).
    if (!(error instanceof SnapshotServiceError && error.faultClass === 'already-exists')) {
      const after = isRetryable(error)
        ? createDeferred(claimed, errorOf(error), deps.clock(), durableRetryAt(deps, claimed.attempts))
        : failed(claimed, errorOf(error), deps.clock());
      return write(deps, after, claimed);
    }
  }
  return write(deps, createAccepted(claimed, now, deps.clock(), pollIntervalMs), claimed);
}

/** Faults a later Create may get past: throttling and the like, a busy snapshot or cache. */
function isRetryable(error: unknown): boolean {
  return (
    error instanceof SnapshotServiceError && (error.faultClass === 'transient' || error.faultClass === 'busy')
  );
}
