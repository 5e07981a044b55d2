import { toIso } from '#lib/clock';
import { resolvedPlacement } from '#lib/placements/placement';
import type { CachePolicy } from '#lib/policy/types';
import { newRunFor } from '#lib/runs/new-run';
import { saveNewRun, saveRun } from '#lib/runs/save-run';
import { claimedRun, missedRun, type NewRun, reclaimed } from '#lib/runs/transitions';
import type { RunError, RunRecord } from '#lib/runs/types';
import type { SchedulerDeps } from './deps';

/**
 * Claims (policy, slot) for `owner` with a conditional create, so that duplicate and concurrent ticks
 * take each slot once. A claim left by a crashed tick is taken over once its lease has expired.
 * Returns the claimed run, or undefined when the slot belongs to someone else or is already done.
 */
export async function claimSlot(
  deps: SchedulerDeps,
  policy: CachePolicy,
  slot: Date,
  owner: string,
): Promise<RunRecord | undefined> {
  const placement = await resolvedPlacement(policy, () => deps.placements.home());
  return claimRun(deps, newRunFor(policy, slot, deps.settings.deploymentName, placement), owner);
}

/** Claims `run` (any kind) as claimSlot does: the one conditional create every run starts with. */
export async function claimRun(
  deps: SchedulerDeps,
  run: NewRun,
  owner: string,
): Promise<RunRecord | undefined> {
  const fresh = claimedRun(run, owner, deps.clock(), deps.settings.leaseMs);
  const existing = await deps.runs.create(fresh);
  if (!existing) return fresh;
  return takeOverExpiredClaim(deps, existing, owner);
}

/** Takes over `run` if it is a claim whose lease has expired; undefined otherwise or if another tick won. */
export async function takeOverExpiredClaim(
  deps: SchedulerDeps,
  run: RunRecord,
  owner: string,
): Promise<RunRecord | undefined> {
  const now = deps.clock();
  if (run.status !== 'CLAIMED' || (run.leaseExpiresAt ?? '') > toIso(now)) return undefined;
  return reclaim(deps, run, owner);
}

/** Moves `run` (as read) to a claim held by `owner`; undefined when another tick changed it first. */
export async function reclaim(
  deps: SchedulerDeps,
  run: RunRecord,
  owner: string,
): Promise<RunRecord | undefined> {
  const next = reclaimed(run, owner, deps.clock(), deps.settings.leaseMs);
  return (await saveRun(deps, next, run)) ? next : undefined;
}

/** Records a slot that will never run as MISSED with its reason (once: an existing record wins). */
export async function recordMissed(deps: SchedulerDeps, policy: CachePolicy, slot: Date, reason: RunError) {
  const { deploymentName, runRetentionDays } = deps.settings;
  const placement = await resolvedPlacement(policy, () => deps.placements.home());
  const fresh = newRunFor(policy, slot, deploymentName, placement);
  const run = missedRun(fresh, reason, deps.clock(), runRetentionDays);
  return saveNewRun(deps, run);
}
