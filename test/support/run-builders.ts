import { placementOf, resolvePlacement } from '#lib/placements/placement';
import type { CachePolicy } from '#lib/policy/types';
import { newRunFor } from '#lib/runs/new-run';
import type { RunStore } from '#lib/runs/run-store';
import { available, claimedRun, requested } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { MANAGED_TAGS, managedTags } from '#lib/snapshots/snapshot-gateway';
import { HOME } from './fake-placements';
import type { FakeSnapshotGateway } from './fake-snapshot-gateway';
import { TEST_DEPLOYMENT } from './scheduler-harness';

const LEASE_MS = 5 * 60_000;

/** The claim `owner` took of (policy, slot) at `at` in the harness's deployment, lease 5 minutes. */
export function claimedRunOf(policy: CachePolicy, slot: string, owner: string, at: string): RunRecord {
  const placement = resolvePlacement(placementOf(policy), HOME);
  return claimedRun(
    newRunFor(policy, new Date(slot), TEST_DEPLOYMENT, placement),
    owner,
    new Date(at),
    LEASE_MS,
  );
}

/** The managed tags the harness's deployment puts on the snapshot of (policy, slot); without the deployment tag when `legacy`. */
export function testManagedTags(policyId: string, slot: string, legacy = false): Record<string, string> {
  const { [MANAGED_TAGS.deployment]: _deployment, ...before } = managedTags({
    deployment: TEST_DEPLOYMENT,
    policyId,
    slot,
  });
  return legacy ? before : { ...before, [MANAGED_TAGS.deployment]: TEST_DEPLOYMENT };
}

/**
 * A slot of `policy` that earlier ticks completed: its snapshot (with the managed tags; without the
 * deployment tag when `legacy`, as made before deployments were told apart) on the gateway and its AVAILABLE
 * run in the store, made through the same transitions a tick uses.
 */
export async function seedAvailableRun(
  runs: RunStore,
  gateway: FakeSnapshotGateway,
  policy: CachePolicy,
  slot: string,
  legacy = false,
): Promise<RunRecord> {
  const claimed = claimedRunOf(policy, slot, 'earlier-tick', slot);
  const snapshot = gateway.seedSnapshot({
    name: claimed.snapshotName,
    cacheName: policy.cacheName,
    status: 'available',
    tags: { ...policy.tags, ...testManagedTags(policy.policyId, claimed.slot, legacy) },
    bytesUsedForCache: 1024,
  });
  const run = available(requested(claimed, snapshot, new Date(slot), 60_000), snapshot, new Date(slot));
  await runs.create(run);
  return run;
}

/** Every record a policy has in `runs`, oldest slot first. */
export async function runsOf(runs: RunStore, policyId: string): Promise<RunRecord[]> {
  const all: RunRecord[] = [];
  for await (const run of runs.listByPolicy(policyId)) all.push(run);
  return all;
}
