import { compareStrings } from '#lib/adapters/plain-values';
import {
  advanceChanges,
  applyChanges,
  DUE_BUCKET,
  fromStoredPolicyItem,
  type ItemChanges,
  maySetSlotSummary,
  maySetSummaries,
  mergeChanges,
  newestSnapshotChanges,
  newestSnapshotIsOf,
  operatorAttributesMatch,
  summaryChanges,
  syncResultChanges,
  toStoredPolicyItem,
} from '#lib/adapters/policy-items';
import { ConditionalWriteError } from '#lib/errors';
import type { PolicyStore, SyncResult } from '#lib/policy/policy-store';
import type {
  LastRunSummary,
  NewestSnapshotSummary,
  PolicyItem,
  RestoreTestSummary,
  SlotSummaries,
} from '#lib/policy/types';

const TABLE_NAME = 'in-memory policies';

function byNextRunAt(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return (
    compareStrings(String(a.nextRunAt), String(b.nextRunAt)) ||
    compareStrings(String(a.policyId), String(b.policyId))
  );
}

/**
 * PolicyStore in memory with the DynamoDB store's semantics (same conditions, same sparse due listing),
 * for fast domain tests. Items are deep-copied in and out, so callers cannot change stored state.
 */
export class InMemoryPolicyStore implements PolicyStore {
  private readonly items = new Map<string, Record<string, unknown>>();

  async get(policyId: string): Promise<PolicyItem | undefined> {
    const stored = this.items.get(policyId);
    return stored === undefined ? undefined : this.copyOut(stored);
  }

  async getMany(policyIds: readonly string[]): Promise<Map<string, PolicyItem>> {
    const items = new Map<string, PolicyItem>();
    for (const policyId of policyIds) {
      const stored = this.items.get(policyId);
      if (stored !== undefined) items.set(policyId, this.copyOut(stored));
    }
    return items;
  }

  async *listAll(): AsyncIterable<PolicyItem> {
    const snapshot = [...this.items.values()].map((stored) => this.copyOut(stored));
    yield* snapshot;
  }

  async *listDue(at: string): AsyncIterable<PolicyItem> {
    const due = [...this.items.values()]
      .filter((stored) => stored.dueBucket === DUE_BUCKET && typeof stored.nextRunAt === 'string')
      .filter((stored) => String(stored.nextRunAt) <= at)
      .sort(byNextRunAt);
    yield* due.map((stored) => this.copyOut(stored));
  }

  async put(item: PolicyItem): Promise<void> {
    this.items.set(item.policyId, structuredClone(toStoredPolicyItem(item)));
  }

  async delete(policyId: string): Promise<void> {
    this.items.delete(policyId);
  }

  async writeSyncResult(basis: PolicyItem, result: SyncResult): Promise<void> {
    const stored = this.items.get(basis.policyId);
    if (stored === undefined || !operatorAttributesMatch(basis, stored)) {
      throw new ConditionalWriteError(
        `writeSyncResult ${basis.policyId}: operator attributes changed or item gone`,
      );
    }
    this.apply(basis.policyId, stored, syncResultChanges(result));
  }

  async advanceNextRun(
    policyId: string,
    from: string,
    to: string,
    summaries: Partial<SlotSummaries> = {},
  ): Promise<void> {
    const stored = this.items.get(policyId);
    if (stored === undefined || stored.nextRunAt !== from || !maySetSummaries(stored, summaries)) {
      throw new ConditionalWriteError(
        `advanceNextRun ${policyId}: nextRunAt is no longer ${from}, or a newer summary is stored`,
      );
    }
    this.apply(policyId, stored, mergeChanges(advanceChanges(to), summaryChanges(summaries)));
  }

  async recordTargetSummaries(
    policyId: string,
    cacheName: string,
    summaries: Partial<SlotSummaries>,
  ): Promise<boolean> {
    const stored = this.items.get(policyId);
    if (stored === undefined || stored.cacheName !== cacheName || !maySetSummaries(stored, summaries)) {
      return false;
    }
    this.apply(policyId, stored, summaryChanges(summaries));
    return true;
  }

  async recordLastRun(policyId: string, summary: LastRunSummary): Promise<void> {
    this.setSlotSummary(policyId, 'lastRun', summary);
  }

  async recordNewestSnapshot(policyId: string, summary: NewestSnapshotSummary): Promise<void> {
    this.setSlotSummary(policyId, 'newestSnapshot', summary);
  }

  async replaceNewestSnapshot(
    policyId: string,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void> {
    const stored = this.items.get(policyId);
    if (stored === undefined || !newestSnapshotIsOf(stored, expectedSlot)) {
      throw new ConditionalWriteError(
        `replaceNewestSnapshot ${policyId}: the summary changed or the policy is gone`,
      );
    }
    this.apply(policyId, stored, newestSnapshotChanges(next));
  }

  async recordRestoreTest(policyId: string, summary: RestoreTestSummary): Promise<void> {
    this.setSlotSummary(policyId, 'lastRestoreTest', summary);
    if (summary.status === 'VERIFIED') this.setSlotSummary(policyId, 'lastVerifiedRestoreTest', summary);
  }

  private setSlotSummary<K extends keyof SlotSummaries>(
    policyId: string,
    attribute: K,
    summary: SlotSummaries[K],
  ) {
    const stored = this.items.get(policyId);
    if (stored === undefined || !maySetSlotSummary(stored, attribute, summary)) return;
    this.apply(policyId, stored, { set: { [attribute]: summary }, remove: [] });
  }

  private apply(policyId: string, stored: Record<string, unknown>, changes: ItemChanges): void {
    this.items.set(policyId, applyChanges(stored, changes));
  }

  private copyOut(stored: Record<string, unknown>): PolicyItem {
    return fromStoredPolicyItem(structuredClone(stored), TABLE_NAME);
  }
}
