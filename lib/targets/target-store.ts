import type { PolicyStore } from '#lib/policy/policy-store';
import type { NewestSnapshotSummary } from '#lib/policy/types';
import type { TargetTable } from './target-table';
import type { DueTarget, TargetHome, TargetKey, TargetSummaries } from './types';

/**
 * Every target's schedule state, wherever it lives (docs/architecture.md, "Targets"): a `cacheName`
 * policy's on its policy item (policies table `due-index`), a `targets` policy's on one targets-table item
 * per cache (its own `due-index`). The tick sees only this: it never knows which table a target lives in.
 */
export interface TargetStore {
  /** Targets due at `at` from both due indexes (never a scan), paginated; the policies' first. */
  listDue(at: string): AsyncIterable<DueTarget>;
  /**
   * Moves the due target's `nextRunAt` on to `to` and records `summaries` in one conditional UpdateItem of
   * the item it lives on (the tick's one write of a target's state per slot). Throws ConditionalWriteError
   * (nothing written) when another tick or an edit moved it first, or a newer slot's summary is stored.
   */
  advance(target: DueTarget, to: string, summaries: TargetSummaries): Promise<void>;
  /**
   * Records a run's summaries on its target, each only if no newer slot's is stored. Normally one
   * UpdateItem; a target of a `targets` policy costs one more (the policy item is tried first and refuses:
   * a run does not say where its target lives). Nothing is written for a target that no longer exists.
   */
  recordSummaries(key: TargetKey, summaries: TargetSummaries): Promise<void>;
  /**
   * Replaces the target's `newestSnapshot` with `next` (older, or undefined: removed) only if the stored one
   * is still of `expectedSlot`, on its `home` (the caller knows it from the policy): how the summary moves
   * back when the snapshot it names is pruned or found GONE. Throws ConditionalWriteError when it changed
   * meanwhile or the target is gone.
   */
  replaceNewestSnapshot(
    key: TargetKey,
    home: TargetHome,
    expectedSlot: string,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void>;
  /** The targets table: enrolment, retirement, a policy's targets. */
  readonly table: TargetTable;
}

/** Writes `summaries` on the policy item (when it is the target's home), else on the targets-table item. */
async function writeSummaries(
  policies: Pick<PolicyStore, 'recordTargetSummaries'>,
  table: TargetTable,
  key: TargetKey,
  summaries: TargetSummaries,
): Promise<boolean> {
  if (await policies.recordTargetSummaries(key.policyId, key.cacheName, summaries)) return true;
  return table.recordSummaries(key, summaries);
}

/** The TargetStore over a PolicyStore (the `cacheName` policies' home) and the targets table. */
export function targetStoreOf(
  policies: Pick<
    PolicyStore,
    'listDue' | 'advanceNextRun' | 'recordTargetSummaries' | 'replaceNewestSnapshot'
  >,
  table: TargetTable,
): TargetStore {
  return {
    table,
    async *listDue(at) {
      for await (const item of policies.listDue(at)) {
        if (item.nextRunAt === undefined) continue;
        // An item in the due index that names no cache (a targets policy left with a nextRunAt, a record
        // edited by hand) is listed with an empty cacheName: the tick hands it to policy sync, which clears it.
        const cacheName = typeof item.cacheName === 'string' ? item.cacheName : '';
        yield { policyId: item.policyId, cacheName, nextRunAt: item.nextRunAt, home: 'policy' };
      }
      yield* table.listDue(at);
    },
    async advance(target, to, summaries) {
      if (target.home === 'policy') {
        await policies.advanceNextRun(target.policyId, target.nextRunAt, to, summaries);
      } else await table.advance(target, target.nextRunAt, to, summaries);
    },
    async replaceNewestSnapshot(key, home, expectedSlot, next) {
      if (home === 'policy') await policies.replaceNewestSnapshot(key.policyId, expectedSlot, next);
      else await table.replaceNewestSnapshot(key, expectedSlot, next);
    },
    async recordSummaries(key, summaries) {
      if (await writeSummaries(policies, table, key, summaries)) return;
      const { lastRun, newestSnapshot } = summaries;
      // One of the two was refused (a newer slot's is there, e.g. the next slot's lastRun while this one
      // completes): each on its own, so the other is still recorded.
      if (lastRun === undefined || newestSnapshot === undefined) return;
      await writeSummaries(policies, table, key, { lastRun });
      await writeSummaries(policies, table, key, { newestSnapshot });
    },
  };
}
