import type { NewestSnapshotSummary } from '#lib/policy/types';
import type { RunRecord } from './types';

/**
 * The newest-snapshot summary an AVAILABLE run gives its policy: the recovery point is when the snapshot was
 * requested (its data is from then), or the slot for a run recorded without a request time.
 */
export function newestSnapshotOf(run: RunRecord): NewestSnapshotSummary {
  return {
    slot: run.slot,
    snapshotName: run.snapshotName,
    takenAt: run.requestedAt ?? run.slot,
    availableAt: run.completedAt ?? run.updatedAt,
  };
}
