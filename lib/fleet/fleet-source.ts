import type { Placement, PlacementRef } from '#lib/placements/placement';
import { placementKey, resolvedPlacement } from '#lib/placements/placement';
import type { PlacementClients } from '#lib/placements/placement-clients';
import { discoverCaches } from './discover-caches';
import type { FleetSnapshot } from './types';

/** Tag listings in flight at once during discovery (each also waits for its placement's adaptive limit). */
export const DISCOVERY_CONCURRENCY = 8;

/** The caches of one placement (an account and region; undefined parts: the orchestrator's own). */
export type FleetSource = (ref: PlacementRef) => Promise<FleetSnapshot>;

/** The placements discovery reaches: each one's gateway, and the own account and region to resolve names. */
export type DiscoveryPlacements = Pick<PlacementClients, 'home' | 'snapshots'>;

/**
 * Discovery of one placement: its caches and tags through that placement's gateway (`placements.snapshots`:
 * the member role's credentials in another account, so a role that cannot be assumed fails this listing
 * with AssumeRoleFailed, and no other placement's).
 */
export function discoverPlacement(
  placements: DiscoveryPlacements,
  placement: Placement,
): Promise<FleetSnapshot> {
  return discoverCaches({ snapshots: placements.snapshots(placement), concurrency: DISCOVERY_CONCURRENCY });
}

/**
 * A FleetSource that lists each placement once, however often and however it is named (the own account by id
 * or left out are one): reconcile shares one across its pass, so every policy of a placement is judged against
 * one listing. A failed listing is kept too (every caller of the pass gets the same error; the next pass lists
 * again).
 */
export function onceEachPlacement(placements: DiscoveryPlacements): FleetSource {
  const listed = new Map<string, Promise<FleetSnapshot>>();
  return async (ref) => {
    const placement = await resolvedPlacement(ref, () => placements.home());
    const key = placementKey(placement);
    let fleet = listed.get(key);
    if (!fleet) {
      fleet = discoverPlacement(placements, placement);
      listed.set(key, fleet);
    }
    return fleet;
  };
}
