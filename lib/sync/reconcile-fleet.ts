import type { CoverageRow } from '#lib/fleet/coverage';
import { type EnrolmentSummary, enrolTargets } from '#lib/fleet/enrol-targets';
import type { FleetSource } from '#lib/fleet/fleet-source';
import {
  coverageOfPlacements,
  coveragePlacements,
  listPlacements,
  type PlacedFleet,
  type PlacedPolicy,
  placedPolicies,
} from '#lib/fleet/placed-coverage';
import { emitMetricWith, logger, METRIC, recordMetric } from '#lib/observability';
import { isSamePlacement, type Placement } from '#lib/placements/placement';
import type { PolicyItem } from '#lib/policy/types';
import type { TargetSyncDeps } from './sync-targets';

/** What reconcile's fleet pass did: targets enrolled and retired, and the caches left unprotected. */
export interface FleetPassSummary {
  readonly targetsEnrolled: number;
  readonly targetsRetired: number;
  /**
   * Caches no ACTIVE policy covers in every account and region that could be listed (the UnprotectedCaches
   * metric); undefined when none could.
   */
  readonly unprotectedCaches: number | undefined;
  /** Accounts and regions whose caches could not be listed this pass (their targets and coverage wait). */
  readonly placementsUnlisted: number;
}

/**
 * An ACTIVE targets policy's targets brought in line with its placement's fleet (the enrolment added to
 * `enrolments`, its targets enrolled and retired to `counts`); the policy as it covers. A policy this pass
 * already enrolled (its sync did, against the same listing) is taken as that enrolment left it, not enrolled
 * again, and counted as it enrolled and retired.
 */
async function enrolOne(
  deps: TargetSyncDeps,
  entry: PlacedPolicy,
  fleets: readonly PlacedFleet[],
  now: Date,
  counts: { enrolled: number; retired: number },
  enrolments: Map<string, EnrolmentSummary>,
): Promise<PlacedPolicy> {
  const { policy } = entry;
  const fleet = fleets.find((placed) => isSamePlacement(placed.placement, entry.placement))?.fleet;
  if (entry.state !== 'ACTIVE' || policy.targets === undefined || fleet === undefined) return entry;
  const done = enrolments.get(policy.policyId);
  try {
    const summary = done ?? (await enrolTargets(deps.targets, policy, fleet, now));
    enrolments.set(policy.policyId, summary);
    counts.enrolled += summary.enrolled.length;
    counts.retired += summary.retired.length;
    return { ...entry, targets: summary.active };
  } catch (error) {
    logger.error('could not bring the targets in line; the next reconcile tries again', {
      policyId: policy.policyId,
      error,
    });
    return entry;
  }
}

/**
 * UnprotectedCaches: the total over every listed placement (what the alarm watches) and one per placement
 * (dimensions `account`, `region`), with a warning line naming the first caches.
 */
function reportUnprotected(rows: readonly CoverageRow[], listed: readonly Placement[]): number {
  const unprotected = rows.filter((row) => row.status === 'UNPROTECTED');
  recordMetric(METRIC.UnprotectedCaches, unprotected.length);
  for (const placement of listed) {
    const here = unprotected.filter((row) => isSamePlacement(row, placement));
    const { account, region } = placement;
    emitMetricWith(METRIC.UnprotectedCaches, { account, region }, here.length);
  }
  if (unprotected.length > 0) {
    logger.warn('caches covered by no ACTIVE policy', {
      outcome: 'UnprotectedCaches',
      unprotectedCaches: unprotected.length,
      caches: unprotected.slice(0, 20).map(({ cacheName, account, region, reason }) => ({
        cacheName,
        account,
        region,
        reason,
      })),
    });
  }
  return unprotected.length;
}

/**
 * Reconcile's fleet pass over `items` (the policies as this pass left them), per account and region: the own
 * placement and each one an ACTIVE policy names is listed once (through its member role where it is not the
 * own account); every ACTIVE `targets` policy's targets brought in line with its placement's caches (a new
 * or newly tagged cache is enrolled within one reconcile period, a deleted one retired); then the coverage of
 * every cache there, and the UnprotectedCaches metrics. A placement that cannot be listed (a role that
 * cannot be assumed) changes nothing there and is logged (`outcome: DiscoveryFailed`; the AssumeRoleFailures
 * metric counts the role); the others go on. One policy's failure is logged and the others go on.
 * `enrolments`: this pass's enrolments by policyId, the syncs' on the way in (each policy is enrolled once
 * per pass; the summary counts the fleet pass's own, as it did when the second enrolment found nothing to
 * do), the fleet pass's own added on the way out (what reconcile's reports read instead of the table).
 */
export async function reconcileFleet(
  deps: TargetSyncDeps & { readonly fleet: FleetSource },
  items: readonly PolicyItem[],
  now: Date,
  enrolments: Map<string, EnrolmentSummary> = new Map(),
): Promise<FleetPassSummary> {
  let home: Placement;
  try {
    home = await deps.placements.home();
  } catch (error) {
    logger.error('could not tell the own account; targets and coverage wait for the next reconcile', {
      error,
    });
    return { targetsEnrolled: 0, targetsRetired: 0, unprotectedCaches: undefined, placementsUnlisted: 1 };
  }
  const placed = placedPolicies(items, home);
  const fleets = await listPlacements(deps.fleet, coveragePlacements(home, placed));
  const counts = { enrolled: 0, retired: 0 };
  const covering: PlacedPolicy[] = [];
  for (const entry of placed) covering.push(await enrolOne(deps, entry, fleets, now, counts, enrolments));
  const listed = fleets.filter((placed) => placed.fleet !== undefined).map((placed) => placed.placement);
  const unlisted = fleets.length - listed.length;
  const { rows } = coverageOfPlacements(fleets, covering);
  const unprotectedCaches = listed.length > 0 ? reportUnprotected(rows, listed) : undefined;
  return {
    targetsEnrolled: counts.enrolled,
    targetsRetired: counts.retired,
    unprotectedCaches,
    placementsUnlisted: unlisted,
  };
}
