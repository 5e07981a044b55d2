import { SnapshotServiceError } from '#lib/errors';
import { logger } from '#lib/observability';
import type { RunRecord } from '#lib/runs/types';
import type { SnapshotGateway, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';

/** What is known of a run's snapshot: its state, absent, or unknown because the look failed. */
export type Sighting = SnapshotInfo | undefined | { readonly unknown: string };

/** One look at a cache's snapshots, for the runs it was taken for. */
export interface CacheListing {
  /** A snapshot of the cache is being made (ours or anyone's), or the listing failed: no Create on it now. */
  readonly busy: boolean;
  readonly lookup: (run: Pick<RunRecord, 'snapshotName'>) => Sighting;
}

/** Whether a sighting is "could not look" rather than a snapshot or its absence. */
export function isUnknown(sighting: Sighting): sighting is { readonly unknown: string } {
  return sighting !== undefined && 'unknown' in sighting;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Lists the snapshots of one cache with one paginated DescribeServerlessCacheSnapshots, so a pass over a
 * cache's runs costs one listing, not one call per run. When the cache itself is gone its snapshots may live
 * on: each run's is looked up by name. When the listing fails otherwise, the runs' snapshots are unknown
 * (and the cache counts as busy); the failure is logged at error with `purpose` ("to track completion", …).
 */
export async function listCacheSnapshots(
  snapshots: Pick<SnapshotGateway, 'listSnapshots' | 'getSnapshot'>,
  cacheName: string,
  runs: readonly Pick<RunRecord, 'snapshotName'>[],
  purpose: string,
): Promise<CacheListing> {
  try {
    const listed = await snapshots.listSnapshots(cacheName);
    const byName = new Map(listed.map((snapshot) => [snapshot.name, snapshot]));
    return {
      busy: listed.some((snapshot) => snapshot.status === 'creating'),
      lookup: (run) => byName.get(run.snapshotName),
    };
  } catch (error) {
    if (error instanceof SnapshotServiceError && error.faultClass === 'not-found') {
      logger.warn('cache gone; looking up its runs’ snapshots by name', { cacheName, purpose, error });
      const found = new Map<string, Sighting>();
      for (const run of runs) {
        const sighting = await snapshots
          .getSnapshot(run.snapshotName)
          .catch((lookupError: unknown) => ({ unknown: describeError(lookupError) }));
        found.set(run.snapshotName, sighting);
      }
      return { busy: false, lookup: (run) => found.get(run.snapshotName) };
    }
    logger.error(`could not list the cache's snapshots ${purpose}; the next pass looks again`, {
      cacheName,
      error,
    });
    const unknown = { unknown: describeError(error) };
    return { busy: true, lookup: () => unknown };
  }
}
