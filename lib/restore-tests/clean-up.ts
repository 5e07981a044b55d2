import { addMs } from '#lib/clock';
import { SnapshotServiceError } from '#lib/errors';
import { logger } from '#lib/observability';
import { durableRetryAt } from '#lib/retry/retry';
import type { RestoreTestStepDeps } from './restore-test-deps';
import { restoreTestFields } from './save-restore-test';
import { isScratchCacheOf } from './scratch-cache';
import { errorOf, write } from './steps';
import { cleanedUp, deleteFailed, deleteRequested } from './transitions';
import type { RestoreTestRecord } from './types';

/**
 * The scratch cache of a finished test deleted, and followed until it is gone: gone (or never made) ends
 * the record's life (cleanedUpAt); `deleting` is left to the next tick; otherwise DeleteServerlessCache,
 * only on a cache whose tags make it this deployment's scratch cache (isScratchCacheOf). A refused or
 * failed delete is recorded (cleanupError, an error line) and tried again, a cache still creating every
 * poll (it can be deleted once it is not), anything else with backoff: for as long as it takes.
 */
export async function cleanUpScratchCache(
  deps: RestoreTestStepDeps,
  read: RestoreTestRecord,
): Promise<RestoreTestRecord | undefined> {
  const now = deps.clock();
  const { pollIntervalMs, runRetentionDays } = deps.settings;
  let done: 'gone' | 'deleting' | 'asked';
  try {
    done = await deleteIfOurs(deps, read);
  } catch (error) {
    const busy = error instanceof SnapshotServiceError && error.faultClass === 'busy';
    const at = busy ? addMs(now, pollIntervalMs) : durableRetryAt(deps, (read.deleteAttempts ?? 0) + 1);
    return write(deps, deleteFailed(read, errorOf(error), now, at), read);
  }
  if (done === 'deleting') return read;
  if (done === 'asked') return write(deps, deleteRequested(read, now, pollIntervalMs), read);
  return write(deps, cleanedUp(read, now, runRetentionDays), read);
}

/**
 * Whether the scratch cache is gone (none by its name, or not ours: logged, never touched), still
 * `deleting`, or its delete was just asked for. Throws the service's fault.
 */
async function deleteIfOurs(
  deps: RestoreTestStepDeps,
  read: RestoreTestRecord,
): Promise<'gone' | 'deleting' | 'asked'> {
  // No Create was ever made for a test that failed before its first attempt: there is nothing to look for.
  const cache = read.attempts > 0 ? await deps.snapshots.getCache(read.scratchCacheName) : undefined;
  if (cache === undefined) return 'gone';
  if (cache.status === 'deleting') return 'deleting';
  const tags = cache.arn === undefined ? {} : await deps.snapshots.listTags(cache.arn);
  if (!isScratchCacheOf(tags, deps.deployment)) {
    logger.error('a cache of the scratch name is not ours: never deleting it', {
      ...restoreTestFields(read),
      outcome: 'ScratchCacheNotOwned',
      tags,
    });
    return 'gone';
  }
  return (await deps.snapshots.deleteCache(read.scratchCacheName)) === 'already-gone' ? 'gone' : 'asked';
}
