import { SnapshotServiceError } from '#lib/errors';
import { judgeOwnership } from '#lib/snapshots/ownership';
import type { SnapshotGateway, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import type { RunRecord } from './types';

/** What a look for a run's snapshot found: ours, nothing, or a snapshot of that name that is someone else's. */
export type OwnSnapshot =
  | { readonly found: 'ours'; readonly snapshot: SnapshotInfo }
  | { readonly found: 'none' }
  | { readonly found: 'not-ours'; readonly reason: string };

/**
 * "Is our snapshot there?": the snapshot named by the run, if it is of the run's cache and its tags carry
 * this deployment's mark for the run's policy and slot (lib/snapshots/ownership.ts; one without a deployment
 * tag, made before deployments were told apart, is ours through this run record). Otherwise the reason says
 * whose it is. Names are deterministic per deployment, policy, cache and slot, so a name taken by someone
 * else is a collision to report, never a snapshot to adopt. Throws what the gateway throws when a look fails.
 */
export async function findOwnSnapshot(
  snapshots: Pick<SnapshotGateway, 'getSnapshot' | 'listTags'>,
  run: Pick<RunRecord, 'snapshotName' | 'cacheName' | 'policyId' | 'slot'>,
  deployment: string,
): Promise<OwnSnapshot> {
  const snapshot = await snapshots.getSnapshot(run.snapshotName);
  if (!snapshot) return { found: 'none' };
  if (snapshot.cacheName !== run.cacheName) {
    return { found: 'not-ours', reason: `of another cache, "${snapshot.cacheName}"` };
  }
  let tags: Record<string, string>;
  try {
    tags = await snapshots.listTags(snapshot.arn);
  } catch (error) {
    if (error instanceof SnapshotServiceError && error.faultClass === 'not-found') return { found: 'none' };
    throw error;
  }
  const ownership = judgeOwnership(tags, { deployment, policyId: run.policyId, slot: run.slot });
  return ownership.owned ? { found: 'ours', snapshot } : { found: 'not-ours', reason: ownership.reason };
}
