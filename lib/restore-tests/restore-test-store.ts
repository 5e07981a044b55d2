import type { RestoreTestKey, RestoreTestRecord } from './types';

/**
 * Storage of restore-test records, in the runs table beside the runs (`kind` = RESTORE_TEST, range key
 * `<cacheName>#<slot>#RESTORE_TEST`). Every change is a single-item conditional write; open tests are
 * listed through the runs table's open index (their own partition of it), never a scan.
 * Implementations: DynamoDB (lib/adapters/dynamodb) and in memory (lib/adapters/memory).
 */
export interface RestoreTestStore {
  get(key: RestoreTestKey): Promise<RestoreTestRecord | undefined>;
  /** Creates the record only if none exists for its key: true when this write created it. */
  create(record: RestoreTestRecord): Promise<boolean>;
  /**
   * Replaces the record with `next` only if the stored one is still as read (`expected.updatedAt`).
   * Throws ConditionalWriteError otherwise.
   */
  transition(next: RestoreTestRecord, expected: { readonly updatedAt: string }): Promise<void>;
  /** Open restore tests with `nextCheckAt <= at`, oldest first (the open index). */
  listOpen(at: string): AsyncIterable<RestoreTestRecord>;
  /**
   * One target's restore tests, oldest slot first (one key-range query of its runs, keeping the tests: for
   * reports and the CLI, never a tick).
   */
  listOfTarget(policyId: string, cacheName: string): AsyncIterable<RestoreTestRecord>;
}
