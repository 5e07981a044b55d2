/** What every step of a restore test uses: the conditional write and a fault as an error. */
import { SnapshotServiceError } from '#lib/errors';
import type { RestoreTestStepDeps } from './restore-test-deps';
import { saveRestoreTest } from './save-restore-test';
import { RESTORE_TEST_CODES, type RestoreTestError, type RestoreTestRecord } from './types';

/** Writes `next` over `read`; the record as it now is, or undefined when another writer came first. */
export async function write(
  deps: RestoreTestStepDeps,
  next: RestoreTestRecord,
  read: RestoreTestRecord,
): Promise<RestoreTestRecord | undefined> {
  return (await saveRestoreTest(deps, next, read)) ? next : undefined;
}

/** A fault as a record's error: the service's code and message, or InternalError for anything else. */
export function errorOf(error: unknown): RestoreTestError {
  if (error instanceof SnapshotServiceError) return { code: error.code, message: error.message };
  return {
    code: RESTORE_TEST_CODES.internal,
    message: error instanceof Error ? error.message : String(error),
  };
}
