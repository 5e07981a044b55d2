import { compareStrings } from '#lib/adapters/plain-values';
import type { PolicyStore, SyncResult } from '#lib/policy/policy-store';
import type {
  LastRunSummary,
  NewestSnapshotSummary,
  PolicyItem,
  RestoreTestSummary,
  SlotSummaries,
} from '#lib/policy/types';

/**
 * A PolicyStore whose due index lags, as DynamoDB's eventually consistent GSI may: after `freeze()`, `listDue`
 * answers from the items as they were then, while reads by key (`get`, `getMany`) and writes go to `inner`.
 * `thaw()` makes the index current again.
 */
export class StaleDueIndex implements PolicyStore {
  private frozen: PolicyItem[] | undefined;

  constructor(private readonly inner: PolicyStore) {}

  /** The due index keeps the items as they are now, whatever is written next. */
  async freeze(): Promise<void> {
    const items: PolicyItem[] = [];
    for await (const item of this.inner.listAll()) items.push(item);
    this.frozen = items;
  }

  thaw(): void {
    this.frozen = undefined;
  }

  async *listDue(at: string): AsyncIterable<PolicyItem> {
    if (this.frozen === undefined) {
      yield* this.inner.listDue(at);
      return;
    }
    yield* this.frozen
      .filter((item) => item.state === 'ACTIVE' && typeof item.nextRunAt === 'string' && item.nextRunAt <= at)
      .sort((a, b) => compareStrings(String(a.nextRunAt), String(b.nextRunAt)));
  }

  get(policyId: string) {
    return this.inner.get(policyId);
  }
  getMany(policyIds: readonly string[]) {
    return this.inner.getMany(policyIds);
  }
  listAll() {
    return this.inner.listAll();
  }
  put(item: PolicyItem) {
    return this.inner.put(item);
  }
  delete(policyId: string) {
    return this.inner.delete(policyId);
  }
  writeSyncResult(basis: PolicyItem, result: SyncResult) {
    return this.inner.writeSyncResult(basis, result);
  }
  advanceNextRun(policyId: string, from: string, to: string, summaries?: Partial<SlotSummaries>) {
    return this.inner.advanceNextRun(policyId, from, to, summaries);
  }
  recordTargetSummaries(policyId: string, cacheName: string, summaries: Partial<SlotSummaries>) {
    return this.inner.recordTargetSummaries(policyId, cacheName, summaries);
  }
  recordLastRun(policyId: string, summary: LastRunSummary) {
    return this.inner.recordLastRun(policyId, summary);
  }
  recordNewestSnapshot(policyId: string, summary: NewestSnapshotSummary) {
    return this.inner.recordNewestSnapshot(policyId, summary);
  }
  recordRestoreTest(policyId: string, summary: RestoreTestSummary) {
    return this.inner.recordRestoreTest(policyId, summary);
  }

  replaceNewestSnapshot(
    policyId: string,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ) {
    return this.inner.replaceNewestSnapshot(policyId, expectedSlot, next);
  }
}
