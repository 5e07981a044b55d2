import type { CachePolicy } from '#lib/policy/types';
import { newRunFor } from '#lib/runs/new-run';
import type { RunStore } from '#lib/runs/run-store';
import { available, claimedRun, requested } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { managedTags } from '#lib/snapshots/snapshot-gateway';
import { HOME } from './fake-placements';
import type { FakeSnapshotGateway } from './fake-snapshot-gateway';

const LEASE_MS = 5 * 60_000;

/** The claim `owner` took of (policy, slot) at `at`, lease 5 minutes. */
export function claimedRunOf(policy: CachePolicy, slot: string, owner: string, at: string): RunRecord {
  return claimedRun(newRunFor(policy, new Date(slot), HOME), owner, new Date(at), LEASE_MS);
}

/**
 * A slot of `policy` that earlier ticks completed: its snapshot (with the managed tags) on the gateway and
 * its AVAILABLE run in the store, made through the same transitions a tick uses.
 */
export async function seedAvailableRun(
  runs: RunStore,
  gateway: FakeSnapshotGateway,
  policy: CachePolicy,
  slot: string,
): Promise<RunRecord> {
  const claimed = claimedRunOf(policy, slot, 'earlier-tick', slot);
  const snapshot = gateway.seedSnapshot({
    name: claimed.snapshotName,
    cacheName: policy.cacheName,
    status: 'available',
    tags: { ...policy.tags, ...managedTags(policy.policyId, claimed.slot) },
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
