import { compareStrings, stripUndefined } from '#lib/adapters/plain-values';
import { ConditionalWriteError } from '#lib/errors';
import type { RestoreTestStore } from '#lib/restore-tests/restore-test-store';
import { isOpenRestoreTest, type RestoreTestKey, type RestoreTestRecord } from '#lib/restore-tests/types';

function keyOf(key: RestoreTestKey): string {
  return JSON.stringify([key.policyId, key.cacheName, key.slot]);
}

function copy(record: RestoreTestRecord): RestoreTestRecord {
  return structuredClone(stripUndefined(record));
}

/**
 * RestoreTestStore in memory with the DynamoDB store's semantics (conditional create and transition, the
 * open listing by nextCheckAt), for fast domain tests. Records are deep-copied in and out.
 */
export class InMemoryRestoreTestStore implements RestoreTestStore {
  private readonly records = new Map<string, RestoreTestRecord>();

  async get(key: RestoreTestKey): Promise<RestoreTestRecord | undefined> {
    const stored = this.records.get(keyOf(key));
    return stored === undefined ? undefined : copy(stored);
  }

  async create(record: RestoreTestRecord): Promise<boolean> {
    if (this.records.has(keyOf(record))) return false;
    this.records.set(keyOf(record), copy(record));
    return true;
  }

  async transition(next: RestoreTestRecord, expected: { readonly updatedAt: string }): Promise<void> {
    const stored = this.records.get(keyOf(next));
    if (stored?.updatedAt !== expected.updatedAt) {
      throw new ConditionalWriteError(
        `restore test ${keyOf(next)}: expected the record of ${expected.updatedAt}, found ${stored?.updatedAt ?? 'none'}`,
      );
    }
    this.records.set(keyOf(next), copy(next));
  }

  async *listOpen(at: string): AsyncIterable<RestoreTestRecord> {
    const open = [...this.records.values()]
      .filter((record) => isOpenRestoreTest(record) && String(record.nextCheckAt) <= at)
      .sort((a, b) => compareStrings(String(a.nextCheckAt), String(b.nextCheckAt)));
    yield* open.map(copy);
  }

  async *listOfTarget(policyId: string, cacheName: string): AsyncIterable<RestoreTestRecord> {
    const own = [...this.records.values()]
      .filter((record) => record.policyId === policyId && record.cacheName === cacheName)
      .sort((a, b) => compareStrings(a.slot, b.slot));
    yield* own.map(copy);
  }

  /** Every record (tests). */
  all(): RestoreTestRecord[] {
    return [...this.records.values()].map(copy);
  }
}
