import {
  cacheKey,
  isSamePlacement,
  type PlacementRef,
  placementOf,
  resolvePlacement,
} from '#lib/placements/placement';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { NewestSnapshotSummary, PolicyItem } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';
import type { CoverageReport } from './coverage';
import { type DiscoveryPlacements, type FleetSource, onceEachPlacement } from './fleet-source';
import {
  coverageOfPlacements,
  coveragePlacements,
  inPlacement,
  listPlacements,
  type PlacedPolicy,
  placedPolicies,
} from './placed-coverage';

export interface CoverageDeps {
  readonly policies: Pick<PolicyStore, 'listAll'>;
  readonly targets: { readonly table: Pick<TargetTable, 'listByPolicy'> };
  readonly placements: DiscoveryPlacements;
}

export interface CoverageQuery {
  /** Only the caches of this account and/or region (left out: every placement coverage looks at). */
  readonly filter?: PlacementRef;
  /** Where the caches come from (default: one discovery per placement). */
  readonly fleet?: FleetSource;
}

/** Keeps, per cache (`cacheKey`), the newest recovery point of the summaries seen. */
function keepNewest(newest: Map<string, string>, key: string, summary: NewestSnapshotSummary | undefined) {
  if (summary === undefined) return;
  const known = newest.get(key);
  if (known === undefined || known < summary.takenAt) newest.set(key, summary.takenAt);
}

/**
 * The coverage of every cache of the orchestrator's own account and region and of every one an ACTIVE policy
 * names (docs/architecture.md, "Coverage"), each listed through its placement's gateway (`query.filter`
 * keeps some of them; a placement that cannot be listed is a warning, not rows): each valid policy with its
 * stored state, a `targets` policy with its ACTIVE targets as enrolled in its account and region (one Query
 * each, only for the placements asked for), and per cache `newestAvailableAt`: the recovery point (`takenAt`,
 * the moment its data is from) of the newest `newestSnapshot` summary over every policy and target on it,
 * RETIRED ones included (their snapshots are kept). Reads only; enrolment is reconcile's and policy sync's.
 */
export async function readPlacedCoverage(
  deps: CoverageDeps,
  query: CoverageQuery = {},
): Promise<CoverageReport> {
  const home = await deps.placements.home();
  const filter = query.filter ?? {};
  const items: PolicyItem[] = [];
  for await (const item of deps.policies.listAll()) items.push(item);
  const newest = new Map<string, string>();
  const covering: PlacedPolicy[] = [];
  for (const placed of placedPolicies(items, home)) {
    const { view } = readOrchestratorAttributes(placed.item);
    const entry = { ...placed, state: view.state };
    const { policy, placement } = entry;
    if (policy.targets === undefined) {
      keepNewest(newest, cacheKey(placement, policy.cacheName), view.newestSnapshot);
      covering.push(entry);
      continue;
    }
    if (!inPlacement(placement, filter)) {
      covering.push(entry);
      continue;
    }
    const active: string[] = [];
    for await (const target of deps.targets.table.listByPolicy(policy.policyId)) {
      const at = resolvePlacement(placementOf(target), home);
      keepNewest(newest, cacheKey(at, target.cacheName), target.newestSnapshot);
      if (target.state === 'ACTIVE' && isSamePlacement(at, placement)) active.push(target.cacheName);
    }
    covering.push({ ...entry, targets: active });
  }
  const fleets = await listPlacements(
    query.fleet ?? onceEachPlacement(deps.placements),
    coveragePlacements(home, covering, filter),
  );
  return coverageOfPlacements(fleets, covering, newest);
}
