import type { SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import type { RestoreTestStepDeps } from './restore-test-deps';

/**
 * The target's newest AVAILABLE snapshot that still exists and is `available`: its AVAILABLE run records
 * (ours by construction: every one names a snapshot this deployment made), newest slot first, each asked of
 * ElastiCache until one is there. Undefined when the target has none.
 */
export async function newestAvailableSnapshot(
  deps: Pick<RestoreTestStepDeps, 'runs' | 'snapshots'>,
  policyId: string,
  cacheName: string,
): Promise<SnapshotInfo | undefined> {
  const names: { slot: string; snapshotName: string }[] = [];
  for await (const run of deps.runs.listByPolicy(policyId, { cacheName, statuses: ['AVAILABLE'] })) {
    names.push(run);
  }
  names.sort((a, b) => (a.slot < b.slot ? 1 : a.slot > b.slot ? -1 : 0));
  for (const { snapshotName } of names) {
    const snapshot = await deps.snapshots.getSnapshot(snapshotName);
    if (snapshot?.status === 'available') return snapshot;
  }
  return undefined;
}
