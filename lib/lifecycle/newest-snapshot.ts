import { ConditionalWriteError } from '#lib/errors';
import { logger } from '#lib/observability';
import { newestSnapshotOf } from '#lib/runs/snapshot-summary';
import type { RunRecord } from '#lib/runs/types';
import type { TargetStore } from '#lib/targets/target-store';
import type { TargetHome } from '#lib/targets/types';

/** The run of the latest slot, or undefined for none. */
export function newestRun<T extends { readonly slot: string }>(runs: readonly T[]): T | undefined {
  return runs.reduce<T | undefined>((a, b) => (a && a.slot >= b.slot ? a : b), undefined);
}

/**
 * After runs of one target were found GONE (`removed`) out of `available` (its AVAILABLE runs before), moves
 * the target's `newestSnapshot` back to the newest run left, or removes it when none is left, if the newest
 * was among them: one conditional write, only while the stored summary still names that run's slot (another
 * writer's newer summary stays). A failure is logged, not thrown: the summary is only behind, and the next
 * reconcile finds nothing GONE to move it by (a `cacheName` policy's is recomputed there every time).
 */
export async function moveNewestBack(
  deps: { readonly targets: Pick<TargetStore, 'replaceNewestSnapshot'> },
  home: TargetHome,
  available: readonly RunRecord[],
  removed: ReadonlySet<RunRecord>,
): Promise<void> {
  const newest = newestRun(available);
  if (newest === undefined || !removed.has(newest)) return;
  const next = newestRun(available.filter((run) => !removed.has(run)));
  const key = { policyId: newest.policyId, cacheName: newest.cacheName };
  try {
    await deps.targets.replaceNewestSnapshot(key, home, newest.slot, next && newestSnapshotOf(next));
    logger.info('newest snapshot summary moved back: its snapshot is gone', {
      ...key,
      from: newest.slot,
      to: next?.slot,
    });
  } catch (error) {
    if (error instanceof ConditionalWriteError) {
      logger.debug('newest snapshot summary names another snapshot; left as it is', key);
    } else {
      logger.error('could not move the newest snapshot summary back; reconcile sets it again', {
        ...key,
        error,
      });
    }
  }
}
