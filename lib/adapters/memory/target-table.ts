import { compareStrings } from '#lib/adapters/plain-values';
import {
  advanceChanges,
  applyChanges,
  type ItemChanges,
  maySetSummaries,
  mergeChanges,
  newestSnapshotChanges,
  summaryChanges,
} from '#lib/adapters/policy-items';
import {
  DUE_BUCKET,
  enrolChanges,
  fromTargetItem,
  retireChanges,
  toDueTarget,
} from '#lib/adapters/target-items';
import { ConditionalWriteError } from '#lib/errors';
import type { NewestSnapshotSummary } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';
import type { DueTarget, Enrolment, TargetKey, TargetRecord, TargetSummaries } from '#lib/targets/types';

const TABLE_NAME = 'in-memory targets';

const idOf = (key: TargetKey) => `${key.policyId}\u0000${key.cacheName}`;

/**
 * The targets table in memory with the DynamoDB table's semantics (same conditions, same sparse due
 * listing), for fast domain tests. Items are deep-copied in and out.
 */
export class InMemoryTargetTable implements TargetTable {
  private readonly items = new Map<string, Record<string, unknown>>();

  async get(key: TargetKey): Promise<TargetRecord | undefined> {
    const stored = this.items.get(idOf(key));
    return stored === undefined ? undefined : fromTargetItem(structuredClone(stored), TABLE_NAME);
  }

  async *listByPolicy(policyId: string): AsyncIterable<TargetRecord> {
    const listed = [...this.items.values()]
      .filter((stored) => stored.policyId === policyId)
      .sort((a, b) => compareStrings(String(a.cacheName), String(b.cacheName)));
    yield* listed.map((stored) => fromTargetItem(structuredClone(stored), TABLE_NAME));
  }

  async *listDue(at: string): AsyncIterable<DueTarget> {
    const due = [...this.items.values()]
      .filter((stored) => stored.dueBucket === DUE_BUCKET && String(stored.nextRunAt) <= at)
      .sort((a, b) => compareStrings(String(a.nextRunAt), String(b.nextRunAt)));
    yield* due.map((stored) => toDueTarget(structuredClone(stored), TABLE_NAME));
  }

  async enrol(enrolment: Enrolment): Promise<boolean> {
    const stored = this.items.get(idOf(enrolment));
    if (stored?.state === 'ACTIVE') return false;
    const base = stored ?? { policyId: enrolment.policyId, cacheName: enrolment.cacheName };
    this.apply(enrolment, base, enrolChanges(enrolment));
    return true;
  }

  async retire(key: TargetKey, retiredAt: string, retiredReason: string): Promise<boolean> {
    const stored = this.items.get(idOf(key));
    if (stored?.state !== 'ACTIVE') return false;
    this.apply(key, stored, retireChanges(retiredAt, retiredReason));
    return true;
  }

  async advance(key: TargetKey, from: string, to: string, summaries: TargetSummaries): Promise<void> {
    const stored = this.items.get(idOf(key));
    if (stored?.state !== 'ACTIVE' || stored.nextRunAt !== from || !maySetSummaries(stored, summaries)) {
      throw new ConditionalWriteError(
        `advance ${key.policyId}/${key.cacheName}: nextRunAt is no longer ${from}, or a newer summary is stored`,
      );
    }
    this.apply(key, stored, mergeChanges(advanceChanges(to), summaryChanges(summaries)));
  }

  async recordSummaries(key: TargetKey, summaries: TargetSummaries): Promise<boolean> {
    const stored = this.items.get(idOf(key));
    if (stored === undefined || !maySetSummaries(stored, summaries)) return false;
    this.apply(key, stored, summaryChanges(summaries));
    return true;
  }

  async replaceNewestSnapshot(
    key: TargetKey,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void> {
    const stored = this.items.get(idOf(key));
    const current = (stored?.newestSnapshot as { slot?: unknown } | undefined)?.slot;
    if (stored === undefined || current !== expectedSlot) {
      throw new ConditionalWriteError(
        `replaceNewestSnapshot ${key.policyId}/${key.cacheName}: newestSnapshot is no longer of ${expectedSlot ?? 'no slot'}`,
      );
    }
    this.apply(key, stored, newestSnapshotChanges(next));
  }

  private apply(key: TargetKey, stored: Record<string, unknown>, changes: ItemChanges): void {
    this.items.set(idOf(key), applyChanges(stored, changes));
  }
}
