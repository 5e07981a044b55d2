import type { SnapshotGateway, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import type { RunRecord } from './types';

/**
 * The run's snapshot if it exists and is of the run's cache: "is our snapshot there?". A snapshot of the
 * same name on another cache is not ours (names are deterministic per policy and slot, not per account).
 * Throws what the gateway throws when the lookup fails.
 */
export async function findOwnSnapshot(
  snapshots: Pick<SnapshotGateway, 'getSnapshot'>,
  run: Pick<RunRecord, 'snapshotName' | 'cacheName'>,
): Promise<SnapshotInfo | undefined> {
  const found = await snapshots.getSnapshot(run.snapshotName);
  return found && found.cacheName === run.cacheName ? found : undefined;
}
