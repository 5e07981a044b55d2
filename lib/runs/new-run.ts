import { addMs, MINUTE_MS, toIso } from '#lib/clock';
import { buildSnapshotName } from '#lib/naming/snapshot-name';
import type { Placement } from '#lib/placements/placement';
import type { CachePolicy, Policy } from '#lib/policy/types';
import type { NewRun } from './transitions';
import type { RunKind } from './types';

/** The last instant a slot of `policy` may still start: the slot plus `startWindowMinutes`. */
export function startWindowEnd(policy: Pick<Policy, 'startWindowMinutes'>, slot: Date): Date {
  return addMs(slot, policy.startWindowMinutes * MINUTE_MS);
}

/**
 * The run a (policy, slot, kind) gets in `deployment`: its deterministic snapshot name, the end of its start
 * window, and the account and region of its cache (`placement`: the policy's, resolved against the
 * orchestrator's own). `kind` is SCHEDULED for the tick's slots.
 */
export function newRunFor(
  policy: CachePolicy,
  slot: Date,
  deployment: string,
  placement: Placement,
  kind: RunKind = 'SCHEDULED',
): NewRun {
  return {
    policyId: policy.policyId,
    slot: toIso(slot),
    cacheName: policy.cacheName,
    kind,
    account: placement.account,
    region: placement.region,
    snapshotName: buildSnapshotName({ ...policy, deployment, slot, kind }),
    windowClosesAt: toIso(startWindowEnd(policy, slot)),
  };
}
