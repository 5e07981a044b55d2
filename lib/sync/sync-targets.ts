import { type EnrolmentSummary, enrolTargets, retireAllTargets } from '#lib/fleet/enrol-targets';
import { type DiscoveryPlacements, type FleetSource, onceEachPlacement } from '#lib/fleet/fleet-source';
import { matchSelector } from '#lib/fleet/match-selector';
import type { FleetSnapshot } from '#lib/fleet/types';
import { logger } from '#lib/observability';
import { type PlacementRef, placementOf } from '#lib/placements/placement';
import type { PolicyState, TargetsPolicy } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';

/** What syncing a `targets` policy's targets needs. */
export interface TargetSyncDeps {
  /** Discovery lists the caches of the policy's account and region (`placements.snapshots(placementOf(policy))`). */
  readonly placements: DiscoveryPlacements;
  readonly targets: { readonly table: TargetTable };
  /**
   * The caches and tags of a placement. Absent: discovered on each call (a stream record, a CLI write);
   * reconcile passes one source that lists each placement once per pass (onceEachPlacement).
   */
  readonly fleet?: FleetSource;
}

/** The caches of `ref`'s placement as `deps` provides them, or one discovery there. */
export function fleetOf(deps: TargetSyncDeps, ref: PlacementRef): Promise<FleetSnapshot> {
  return (deps.fleet ?? onceEachPlacement(deps.placements))(ref);
}

/** The caches of `fleet` a selector chooses now, or the error that kept the fleet from being listed. */
export type TargetsView = { readonly fleet: FleetSnapshot } | { readonly error: unknown };

/**
 * Lists the caches of the policy's account and region for judging a targets policy; a failed listing (a
 * member role that cannot be assumed: AssumeRoleFailed) is returned and logged with the placement, never
 * thrown.
 */
export async function viewTargets(deps: TargetSyncDeps, policy: TargetsPolicy): Promise<TargetsView> {
  try {
    return { fleet: await fleetOf(deps, placementOf(policy)) };
  } catch (error) {
    logger.warn('could not list the caches; the targets policy keeps the targets it has', {
      outcome: 'DiscoveryFailed',
      policyId: policy.policyId,
      ...placementOf(policy),
      error,
    });
    return { error };
  }
}

/** The `stateReason` of an ACTIVE targets policy: a warning when its selector chooses nothing or could not look. */
export function targetsWarning(policy: TargetsPolicy, view: TargetsView): string | undefined {
  if ('error' in view) {
    const reason = view.error instanceof Error ? view.error.message : String(view.error);
    const where =
      policy.account === undefined && policy.region === undefined ? '' : ` of ${placementPhrase(policy)}`;
    return `warning: targets: the caches${where} could not be listed (${reason}); targets unchanged until the next reconcile`;
  }
  const caches = view.fleet.caches;
  if (caches.some((cache) => matchSelector(policy.targets, cache).verdict === 'selected')) return undefined;
  return `warning: targets: chooses none of the ${caches.length} serverless caches of ${placementPhrase(policy)}`;
}

/** Where a policy's caches are, for its reason: "the account and region" when it names neither. */
function placementPhrase(ref: PlacementRef): string {
  if (ref.account === undefined)
    return ref.region === undefined ? 'the account and region' : `region ${ref.region} of the account`;
  return `account ${ref.account} in ${ref.region === undefined ? 'the same region' : `region ${ref.region}`}`;
}

/**
 * After a sync result was written: an ACTIVE targets policy's targets brought in line with the fleet
 * (enrolled, retired); any other result (not ACTIVE, or a policy that names one cache now) retires every
 * target the policy still has, so they leave the due index, when it may have some (`hadTargets`: it is or
 * was a targets policy): a plain `cacheName` policy costs no read of the targets table. A leftover target
 * this misses is retired by the tick at its next due slot (its policy cannot take it). Failures are logged;
 * reconcile tries again. Returns the enrolment when the targets were brought in line (reconcile's fleet pass
 * takes it instead of enrolling the policy a second time in the same pass).
 */
export async function syncTargets(
  deps: TargetSyncDeps,
  policyId: string,
  outcome: {
    state: PolicyState;
    policy: TargetsPolicy | undefined;
    view: TargetsView | undefined;
    hadTargets: boolean;
  },
  now: Date,
): Promise<EnrolmentSummary | undefined> {
  try {
    if (outcome.state === 'ACTIVE' && outcome.policy && outcome.view && 'fleet' in outcome.view) {
      return await enrolTargets(deps.targets, outcome.policy, outcome.view.fleet, now);
    }
    if (!outcome.hadTargets) return undefined;
    if (outcome.state !== 'ACTIVE') {
      await retireAllTargets(deps.targets, policyId, now, `the policy is ${outcome.state}`);
    } else if (outcome.policy === undefined) {
      await retireAllTargets(deps.targets, policyId, now, 'the policy names one cache now (cacheName)');
    }
  } catch (error) {
    logger.error('could not bring the targets in line; the next reconcile tries again', { policyId, error });
  }
  return undefined;
}

/**
 * A deleted policy's targets retired (the policies stream's REMOVE record): they leave the due index at
 * once; their runs and summaries stay. The tick also retires a due target whose policy it cannot use.
 */
export async function retireTargetsOfDeleted(
  deps: TargetSyncDeps,
  policyId: string,
  now: Date,
): Promise<void> {
  await retireAllTargets(deps.targets, policyId, now, 'the policy was deleted');
}
