import { discoverCaches } from '#lib/fleet/discover-caches';
import { enrolTargets, retireAllTargets } from '#lib/fleet/enrol-targets';
import { matchSelector } from '#lib/fleet/match-selector';
import type { FleetSnapshot } from '#lib/fleet/types';
import { logger } from '#lib/observability';
import type { PlacementClients } from '#lib/placements/placement-clients';
import type { PolicyState, TargetsPolicy } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';

/** Tag listings in flight at once during discovery (each also waits for the process's adaptive limit). */
export const DISCOVERY_CONCURRENCY = 8;

/** What syncing a `targets` policy's targets needs. */
export interface TargetSyncDeps {
  /** Discovery lists the caches of the orchestrator's own account and region (`placements.snapshots({})`). */
  readonly placements: Pick<PlacementClients, 'snapshots'>;
  readonly targets: { readonly table: TargetTable };
  /**
   * The account's caches and tags. Absent: discovered on each call (a stream record, a CLI write);
   * reconcile passes one discovery shared by every policy of its pass.
   */
  readonly fleet?: () => Promise<FleetSnapshot>;
}

/** The fleet as `deps` provides it, or one discovery. */
export function fleetOf(deps: TargetSyncDeps): Promise<FleetSnapshot> {
  const snapshots = deps.placements.snapshots({});
  return deps.fleet?.() ?? discoverCaches({ snapshots, concurrency: DISCOVERY_CONCURRENCY });
}

/** The caches of `fleet` a selector chooses now, or the error that kept the fleet from being listed. */
export type TargetsView = { readonly fleet: FleetSnapshot } | { readonly error: unknown };

/** Lists the fleet for judging a targets policy; a failed listing is returned (and logged), never thrown. */
export async function viewTargets(deps: TargetSyncDeps, policyId: string): Promise<TargetsView> {
  try {
    return { fleet: await fleetOf(deps) };
  } catch (error) {
    logger.warn('could not list the caches; the targets policy keeps the targets it has', {
      policyId,
      error,
    });
    return { error };
  }
}

/** The `stateReason` of an ACTIVE targets policy: a warning when its selector chooses nothing or could not look. */
export function targetsWarning(policy: TargetsPolicy, view: TargetsView): string | undefined {
  if ('error' in view) {
    return `warning: targets: the caches could not be listed (${view.error instanceof Error ? view.error.message : String(view.error)}); targets unchanged until the next reconcile`;
  }
  const caches = view.fleet.caches;
  if (caches.some((cache) => matchSelector(policy.targets, cache).verdict === 'selected')) return undefined;
  return `warning: targets: chooses none of the ${caches.length} serverless caches of the account and region`;
}

/**
 * After a sync result was written: an ACTIVE targets policy's targets brought in line with the fleet
 * (enrolled, retired); any other result (not ACTIVE, or a policy that names one cache now) retires every
 * target the policy still has, so they leave the due index, when it may have some (`hadTargets`: it is or
 * was a targets policy): a plain `cacheName` policy costs no read of the targets table. A leftover target
 * this misses is retired by the tick at its next due slot (its policy cannot take it). Failures are logged;
 * reconcile tries again.
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
): Promise<void> {
  try {
    if (outcome.state === 'ACTIVE' && outcome.policy && outcome.view && 'fleet' in outcome.view) {
      await enrolTargets(deps.targets, outcome.policy, outcome.view.fleet, now);
    } else if (!outcome.hadTargets) {
      return;
    } else if (outcome.state !== 'ACTIVE') {
      await retireAllTargets(deps.targets, policyId, now, `the policy is ${outcome.state}`);
    } else if (outcome.policy === undefined) {
      await retireAllTargets(deps.targets, policyId, now, 'the policy names one cache now (cacheName)');
    }
  } catch (error) {
    logger.error('could not bring the targets in line; the next reconcile tries again', { policyId, error });
  }
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
