import { logger } from '#lib/observability';
import {
  isSamePlacement,
  type Placement,
  type PlacementRef,
  placementKey,
  placementOf,
  resolvePlacement,
} from '#lib/placements/placement';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import {
  type CoverageReport,
  type CoverageRow,
  type CoverageWarning,
  type CoveringPolicy,
  computeCoverage,
} from './coverage';
import type { FleetSource } from './fleet-source';
import type { FleetSnapshot } from './types';

/** A valid policy with its stored state and the account and region it names, resolved. */
export interface PlacedPolicy extends CoveringPolicy {
  readonly placement: Placement;
  /** The stored item it was read from. */
  readonly item: PolicyItem;
}

/** One placement's caches, or the error that kept them from being listed (a role that cannot be assumed). */
export type PlacedFleet =
  | { readonly placement: Placement; readonly fleet: FleetSnapshot; readonly error?: undefined }
  | { readonly placement: Placement; readonly fleet?: undefined; readonly error: unknown };

/** The valid policies of `items`, each with its state and resolved placement (invalid ones cover nothing). */
export function placedPolicies(items: readonly PolicyItem[], home: Placement): PlacedPolicy[] {
  return items.flatMap((item) => {
    const parsed = validatePolicy(item);
    if (!parsed.ok) return [];
    const { policy } = parsed;
    return [{ policy, item, state: item.state, placement: resolvePlacement(placementOf(policy), home) }];
  });
}

/** Whether `placement` is the one `filter` names (an account or region left out: any). */
export function inPlacement(placement: Placement, filter: PlacementRef): boolean {
  return (
    (filter.account === undefined || filter.account === placement.account) &&
    (filter.region === undefined || filter.region === placement.region)
  );
}

/**
 * The placements coverage lists (docs/architecture.md, "Coverage"): the orchestrator's own and each one an
 * ACTIVE policy names, those `filter` keeps, sorted by account and region.
 */
export function coveragePlacements(
  home: Placement,
  policies: readonly PlacedPolicy[],
  filter: PlacementRef = {},
): Placement[] {
  const named = policies.filter((entry) => entry.state === 'ACTIVE').map((entry) => entry.placement);
  const unique = new Map([home, ...named].map((placement) => [placementKey(placement), placement]));
  const keys = [...unique.keys()].sort();
  return keys.flatMap((key) => unique.get(key) ?? []).filter((placement) => inPlacement(placement, filter));
}

/**
 * Each placement's caches from `source`, all placements at once (each has its own client and limit). A
 * placement that cannot be listed is kept with its error and an error line naming it (`outcome:
 * DiscoveryFailed`); no other placement is affected.
 */
export async function listPlacements(
  source: FleetSource,
  placements: readonly Placement[],
): Promise<PlacedFleet[]> {
  return Promise.all(
    placements.map(async (placement): Promise<PlacedFleet> => {
      try {
        return { placement, fleet: await source(placement) };
      } catch (error) {
        logger.error('could not list the caches of an account and region; its targets and coverage wait', {
          outcome: 'DiscoveryFailed',
          account: placement.account,
          region: placement.region,
          error,
        });
        return { placement, error };
      }
    }),
  );
}

/** Why a placement is missing from the coverage, said for each policy there. */
function unlisted({ placement, error }: PlacedFleet, policies: readonly PlacedPolicy[]): CoverageWarning[] {
  const reason = error instanceof Error ? error.message : String(error);
  const message = `the caches of account ${placement.account} in region ${placement.region} could not be listed (${reason}): its caches are not in the coverage`;
  const there = policies.filter((entry) => isSamePlacement(entry.placement, placement));
  const ids = there.length > 0 ? there.map((entry) => entry.policy.policyId) : ['(none)'];
  return ids.map((policyId) => ({ policyId, message }));
}

/**
 * The coverage of every listed placement (computeCoverage on each, with the policies naming it), rows sorted
 * by account, region and cache name; a placement that could not be listed adds a warning for each policy
 * there instead of rows (with none there, one for policy `(none)`).
 */
export function coverageOfPlacements(
  fleets: readonly PlacedFleet[],
  policies: readonly PlacedPolicy[],
  newestAvailableAt?: ReadonlyMap<string, string>,
): CoverageReport {
  const rows: CoverageRow[] = [];
  const warnings: CoverageWarning[] = [];
  for (const placed of fleets) {
    if (placed.fleet === undefined) {
      warnings.push(...unlisted(placed, policies));
      continue;
    }
    const there = policies.filter((entry) => isSamePlacement(entry.placement, placed.placement));
    const report = computeCoverage({ ...placed, fleet: placed.fleet, policies: there, newestAvailableAt });
    rows.push(...report.rows);
    warnings.push(...report.warnings);
  }
  return { rows, warnings };
}
