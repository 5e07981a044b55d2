import { type CoveringPolicy, computeCoverage } from '#lib/fleet/coverage';
import { enrolTargets } from '#lib/fleet/enrol-targets';
import type { FleetSnapshot } from '#lib/fleet/types';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import { fleetOf, type TargetSyncDeps } from './sync-targets';

/** What reconcile's fleet pass did: targets enrolled and retired, and the caches left unprotected. */
export interface FleetPassSummary {
  readonly targetsEnrolled: number;
  readonly targetsRetired: number;
  /** Caches no ACTIVE policy covers (the UnprotectedCaches metric); undefined when the fleet could not be listed. */
  readonly unprotectedCaches: number | undefined;
}

/** One discovery for a whole reconcile pass, made on first use and shared by every policy's sync. */
export function sharedFleet(deps: TargetSyncDeps): () => Promise<FleetSnapshot> {
  let fleet: Promise<FleetSnapshot> | undefined;
  return () => {
    fleet ??= fleetOf(deps);
    return fleet;
  };
}

/**
 * Reconcile's fleet pass over `items` (the policies as this pass left them): every ACTIVE `targets` policy's
 * targets brought in line with the fleet (so a new or newly tagged cache is enrolled within one reconcile
 * period, a deleted one retired), then the coverage of every cache, and the UnprotectedCaches metric. A
 * fleet that cannot be listed changes nothing and emits no metric (logged as an error); one policy's failure
 * is logged and the others go on.
 */
export async function reconcileFleet(
  deps: TargetSyncDeps & { readonly fleet: () => Promise<FleetSnapshot> },
  items: readonly PolicyItem[],
  now: Date,
): Promise<FleetPassSummary> {
  let fleet: FleetSnapshot;
  try {
    fleet = await deps.fleet();
  } catch (error) {
    logger.error('could not list the caches; targets and coverage wait for the next reconcile', { error });
    return { targetsEnrolled: 0, targetsRetired: 0, unprotectedCaches: undefined };
  }
  let targetsEnrolled = 0;
  let targetsRetired = 0;
  const covering: CoveringPolicy[] = [];
  for (const item of items) {
    const parsed = validatePolicy(item);
    if (!parsed.ok) continue;
    const { policy } = parsed;
    if (item.state !== 'ACTIVE' || policy.targets === undefined) {
      covering.push({ policy, state: item.state });
      continue;
    }
    try {
      const summary = await enrolTargets(deps.targets, policy, fleet, now);
      targetsEnrolled += summary.enrolled.length;
      targetsRetired += summary.retired.length;
      covering.push({ policy, state: item.state, targets: summary.active });
    } catch (error) {
      logger.error('could not bring the targets in line; the next reconcile tries again', {
        policyId: item.policyId,
        error,
      });
      covering.push({ policy, state: item.state });
    }
  }
  const { rows } = computeCoverage({ fleet, policies: covering });
  const unprotected = rows.filter((row) => row.status === 'UNPROTECTED');
  recordMetric(METRIC.UnprotectedCaches, unprotected.length);
  if (unprotected.length > 0) {
    logger.warn('caches covered by no ACTIVE policy', {
      outcome: 'UnprotectedCaches',
      unprotectedCaches: unprotected.length,
      caches: unprotected.slice(0, 20).map((row) => ({ cacheName: row.cacheName, reason: row.reason })),
    });
  }
  return { targetsEnrolled, targetsRetired, unprotectedCaches: unprotected.length };
}
