/**
 * The rules of a stored policy item that both stores share (DynamoDB and in memory): the derived
 * `dueBucket`, what each write changes, and when `writeSyncResult` and `recordLastRun` may write.
 * DynamoDB expresses the same rules as condition and update expressions (lib/adapters/dynamodb).
 */
import { isDeepStrictEqual } from 'node:util';
import { StoreError, shorten } from '#lib/errors';
import { isPlainRecord } from '#lib/policy/attribute-checks';
import type { SyncResult } from '#lib/policy/policy-store';
import {
  type NewestSnapshotSummary,
  OPERATOR_ATTRIBUTES,
  type PolicyItem,
  type PolicyState,
  type SlotSummaries,
} from '#lib/policy/types';
import { findUnstorableKey, stripUndefined, UNSTORABLE_KEY } from './plain-values';

/** Partition value of the policies table's sparse `due-index`: only ACTIVE items with a `nextRunAt` carry it. */
export const DUE_BUCKET = 'ACTIVE';

/** The `dueBucket` an item with this state and `nextRunAt` carries, or undefined (not in the due index). */
export function deriveDueBucket(state: unknown, nextRunAt: unknown): typeof DUE_BUCKET | undefined {
  return state === 'ACTIVE' && typeof nextRunAt === 'string' ? DUE_BUCKET : undefined;
}

/** Attributes a write sets and removes; the memory store applies it, DynamoDB turns it into SET/REMOVE. */
export interface ItemChanges {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove: readonly string[];
}

/**
 * The item as stored from an operator record: undefined values dropped, `dueBucket` derived. A map key
 * `__proto__` anywhere is refused with a StoreError naming its path: the SDK would drop it silently.
 */
export function toStoredPolicyItem(item: PolicyItem): Record<string, unknown> {
  const unstorable = findUnstorableKey(item);
  if (unstorable !== undefined) {
    throw new StoreError(
      `policy ${shorten(String(item.policyId))}: ${shorten(unstorable)} cannot be stored: the AWS SDK for JavaScript drops a map key "${UNSTORABLE_KEY}"`,
    );
  }
  const { dueBucket: _ignored, ...rest } = stripUndefined(item);
  const dueBucket = deriveDueBucket(rest.state, rest.nextRunAt);
  return dueBucket === undefined ? rest : { ...rest, dueBucket };
}

/** A stored item as callers see it: the store-derived `dueBucket` left out. */
export function fromStoredPolicyItem(stored: Record<string, unknown>, tableName: string): PolicyItem {
  const { dueBucket: _ignored, ...item } = stored;
  if (typeof item.policyId !== 'string') {
    throw new StoreError(`policy item without a string policyId in table ${tableName}`);
  }
  return item as PolicyItem;
}

/**
 * What `writeSyncResult` writes: nextRunAt and dueBucket only for an ACTIVE result with a next run, and
 * activatedAt only for an ACTIVE result (removed otherwise, so a later activation records its own time).
 */
export function syncResultChanges(result: SyncResult): ItemChanges {
  const set: Record<string, unknown> = {
    state: result.state satisfies PolicyState,
    specHash: result.specHash,
    syncedAt: result.syncedAt,
  };
  const remove: string[] = [];
  if (result.stateReason === undefined) remove.push('stateReason');
  else set.stateReason = result.stateReason;
  const dueBucket = deriveDueBucket(result.state, result.nextRunAt);
  if (dueBucket === undefined) remove.push('nextRunAt', 'dueBucket');
  else Object.assign(set, { nextRunAt: result.nextRunAt, dueBucket });
  if (result.activatedAt === undefined) remove.push('activatedAt');
  else set.activatedAt = result.activatedAt;
  return { set, remove };
}

/**
 * What `advanceNextRun` writes. Moving to a new instant leaves `dueBucket` as it is: the condition
 * `nextRunAt = from` only holds on an item sync made ACTIVE, which already carries it.
 */
export function advanceChanges(to: string): ItemChanges {
  return { set: { nextRunAt: to }, remove: [] };
}

/** True when every operator attribute of `stored` equals the one in `basis`, or both are absent. */
export function operatorAttributesMatch(basis: PolicyItem, stored: Record<string, unknown>): boolean {
  return OPERATOR_ATTRIBUTES.every((name) => isDeepStrictEqual(stripUndefined(basis[name]), stored[name]));
}

/** True when the stored newest-snapshot summary is of `expectedSlot` (absent when undefined). */
export function newestSnapshotIsOf(
  stored: Record<string, unknown>,
  expectedSlot: string | undefined,
): boolean {
  const current = stored.newestSnapshot;
  if (expectedSlot === undefined) return current === undefined;
  return isPlainRecord(current) && current.slot === expectedSlot;
}

/** What `replaceNewestSnapshot` writes: the summary, or its removal. */
export function newestSnapshotChanges(next: NewestSnapshotSummary | undefined): ItemChanges {
  return next === undefined
    ? { set: {}, remove: ['newestSnapshot'] }
    : { set: { newestSnapshot: next }, remove: [] };
}

/**
 * True when `summary` may replace the stored summary `attribute` (lastRun, newestSnapshot): none stored
 * yet, or the stored one's slot is not newer.
 */
export function maySetSlotSummary(
  stored: Record<string, unknown>,
  attribute: keyof SlotSummaries,
  summary: { readonly slot: string },
): boolean {
  const current = stored[attribute];
  if (!isPlainRecord(current) || current.slot === undefined) return true;
  return typeof current.slot === 'string' && current.slot <= summary.slot;
}

/** What recording `summaries` sets (nothing for an absent one). */
export function summaryChanges(summaries: Partial<SlotSummaries>): ItemChanges {
  const set: Record<string, unknown> = {};
  if (summaries.lastRun !== undefined) set.lastRun = summaries.lastRun;
  if (summaries.newestSnapshot !== undefined) set.newestSnapshot = summaries.newestSnapshot;
  return { set, remove: [] };
}

/** True when every summary given may replace the stored one (maySetSlotSummary for each). */
export function maySetSummaries(stored: Record<string, unknown>, summaries: Partial<SlotSummaries>): boolean {
  return (['lastRun', 'newestSnapshot'] as const).every((attribute) => {
    const summary = summaries[attribute];
    return summary === undefined || maySetSlotSummary(stored, attribute, summary);
  });
}

/** `changes` and `more` together (both sets, both removals). */
export function mergeChanges(changes: ItemChanges, more: ItemChanges): ItemChanges {
  return { set: { ...changes.set, ...more.set }, remove: [...changes.remove, ...more.remove] };
}

/** `stored` with `changes` applied (a new object; `changes.set` deep-copied), as DynamoDB would apply them. */
export function applyChanges(stored: Record<string, unknown>, changes: ItemChanges): Record<string, unknown> {
  const next = { ...stored, ...structuredClone(changes.set) };
  for (const name of changes.remove) delete next[name];
  return next;
}
