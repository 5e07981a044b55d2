import type { Clock } from '#lib/clock';
import { toIso } from '#lib/clock';
import { groupBy } from '#lib/collections';
import { ConditionalWriteError, describeIssues } from '#lib/errors';
import type { EnrolmentSummary } from '#lib/fleet/enrol-targets';
import { logger, METRIC, recordMetric } from '#lib/observability';
import {
  cacheKey,
  describePlacement,
  type Placement,
  placementOf,
  resolvePlacement,
} from '#lib/placements/placement';
import type { PlacementClients } from '#lib/placements/placement-clients';
import { computeSpecHash, validatePolicy } from '#lib/policy/parse-policy';
import { isCachePolicy } from '#lib/policy/policy-for-target';
import type { PolicyStore, SyncResult } from '#lib/policy/policy-store';
import { quotaFitWarning } from '#lib/policy/quota-fit';
import type { CachePolicy, Policy, PolicyItem, TargetsPolicy } from '#lib/policy/types';
import { nextSlotAfter } from '#lib/schedule/policy-slots';
import { activatedAtFor } from './activated-at';
import { type ExportCheckDeps, exportBucketIssues } from './export-bucket-issues';
import {
  syncTargets,
  type TargetSyncDeps,
  type TargetsView,
  targetsWarning,
  viewTargets,
} from './sync-targets';

export interface SyncDeps extends TargetSyncDeps {
  readonly policies: PolicyStore;
  /**
   * The gateway of the policy's account and region, to check that its cache exists there; the own
   * placement, to tell which cache two policies share (`peerKey`).
   */
  readonly placements: Pick<PlacementClients, 'home' | 'snapshots'>;
  readonly clock: Clock;
  /**
   * The other ACTIVE policies on a cache (by `peerKey`), for the 24-in-24 h fit warning. Absent: no fit check
   * (the stream and the scheduler do not read the whole table per record; reconcile passes an index it builds
   * once per run and refreshes every active policy's warning, the CLI passes scanPeersOn for one put).
   */
  readonly peersOn?: (key: string) => Promise<Policy[]>;
  /** S3, to check a policy's export buckets when it is written (absent: they are not checked). */
  readonly exportChecks?: ExportCheckDeps;
}

/**
 * The cache a `cacheName` policy snapshots, as a key: a cache name is unique only within an account and
 * region, so two policies share a cache (and its 24 snapshots in 24 hours) only in the same placement;
 * `home` stands for what the policy leaves out.
 */
export function peerKey(policy: CachePolicy, home: Placement): string {
  return cacheKey(resolvePlacement(policy, home), policy.cacheName);
}

/** The ACTIVE, valid `cacheName` policies among `items`, grouped by cache (`peerKey`). */
export function activePoliciesByCache(
  items: Iterable<PolicyItem>,
  home: Placement,
): Map<string, CachePolicy[]> {
  const active: CachePolicy[] = [];
  for (const item of items) {
    if (item.state !== 'ACTIVE') continue;
    const parsed = validatePolicy(item);
    if (parsed.ok && isCachePolicy(parsed.policy)) active.push(parsed.policy);
  }
  return groupBy(active, (policy) => peerKey(policy, home));
}

/** A `peersOn` that scans the store: for a single interactive write, not for bulk syncs. */
export function scanPeersOn(
  policies: Pick<PolicyStore, 'listAll'>,
  home: Placement,
): (key: string) => Promise<Policy[]> {
  return async (key) => {
    const items: PolicyItem[] = [];
    for await (const item of policies.listAll()) items.push(item);
    return activePoliciesByCache(items, home).get(key) ?? [];
  };
}

/** The `stateReason` of an ACTIVE policy: its fit warning among `peers`, if any. */
export function activeReason(policy: CachePolicy, peers: readonly Policy[], now: Date): string | undefined {
  const warning = quotaFitWarning(policy, peers, now);
  return warning ? `warning: ${warning}` : undefined;
}

export type SyncOutcome =
  | { readonly policyId: string; readonly action: 'unchanged' }
  | {
      readonly policyId: string;
      readonly action: 'written';
      readonly result: SyncResult;
      /** An ACTIVE targets policy's targets as the sync brought them in line (absent: no enrolment). */
      readonly enrolment?: EnrolmentSummary;
    }
  | { readonly policyId: string; readonly action: 'stale' };

/**
 * Whether the orchestrator's attributes already reflect the operator's record as it is. An ACTIVE
 * `targets` policy has no `nextRunAt` of its own: its targets keep their schedule state.
 */
export function isInSync(item: PolicyItem): boolean {
  if (!item.state || item.specHash !== computeSpecHash(item)) return false;
  return item.state !== 'ACTIVE' || item.nextRunAt !== undefined || item.targets !== undefined;
}

/**
 * The next slot to take. For an ACTIVE record, a pending slot already due is kept whatever the edit (the
 * tick records the slots it skipped and takes the latest), so an edit never drops a due slot. A new or
 * re-activated record starts at the first slot at or after now: it does not reach back for a slot. With
 * `takenUpTo` (the tick re-judging a policy whose slots it has taken up to that instant), only a later slot.
 */
function nextRunAtFor(policy: Policy, item: PolicyItem, now: Date, takenUpTo?: Date): string | undefined {
  const pending = item.nextRunAt;
  if (item.state === 'ACTIVE' && pending && pending <= toIso(now) && !takenUpTo) return pending;
  const after = new Date(Math.max(now.getTime() - 1, takenUpTo?.getTime() ?? Number.NEGATIVE_INFINITY));
  const next = nextSlotAfter(policy, after);
  return next ? toIso(next) : undefined;
}

type Verdict = Omit<SyncResult, 'specHash' | 'syncedAt' | 'activatedAt'> & {
  /** A valid targets policy, and what its selector sees: what its targets are brought in line with. */
  readonly targetsPolicy?: TargetsPolicy;
  readonly view?: TargetsView;
};

async function judge(deps: SyncDeps, item: PolicyItem, now: Date, takenUpTo?: Date): Promise<Verdict> {
  const parsed = validatePolicy(item);
  if (!parsed.ok) {
    return { state: 'INVALID', stateReason: describeIssues(parsed.issues), nextRunAt: undefined };
  }
  const policy = parsed.policy;
  if (!policy.enabled) return { state: 'DISABLED', stateReason: 'enabled is false', nextRunAt: undefined };
  try {
    const gateway = deps.placements.snapshots(placementOf(policy));
    if (isCachePolicy(policy) && !(await gateway.getCache(policy.cacheName))) {
      const where = describePlacement(policy);
      const reason = `cacheName: no serverless cache named "${policy.cacheName}" in ${where}`;
      return { state: 'INVALID', stateReason: reason, nextRunAt: undefined };
    }
  } catch (error) {
    // Not knowing is not a reason to stop the schedule: a missing cache fails the Create, recorded per run.
    logger.warn('could not check that the cache exists; activating anyway', {
      policyId: policy.policyId,
      error,
    });
  }
  const bucketIssues = await exportBucketIssues(deps.exportChecks, policy);
  if (bucketIssues.length > 0) {
    return { state: 'INVALID', stateReason: describeIssues(bucketIssues), nextRunAt: undefined };
  }
  const nextRunAt = nextRunAtFor(policy, item, now, takenUpTo);
  if (!nextRunAt)
    return {
      state: 'DISABLED',
      stateReason: 'schedule: no future slot (the year field has passed)',
      nextRunAt,
    };
  // A targets policy keeps no nextRunAt of its own (its targets do) and its fit is judged per cache.
  if (!isCachePolicy(policy)) {
    const view = await viewTargets(deps, policy);
    const stateReason = targetsWarning(policy, view);
    return { state: 'ACTIVE', stateReason, nextRunAt: undefined, targetsPolicy: policy, view };
  }
  const stateReason = deps.peersOn
    ? activeReason(policy, await deps.peersOn(peerKey(policy, await deps.placements.home())), now)
    : undefined;
  if (stateReason)
    logger.warn('policy may exceed the snapshot quota of its cache', {
      policyId: policy.policyId,
      stateReason,
    });
  return { state: 'ACTIVE', stateReason, nextRunAt };
}

/**
 * Validates one policy item and writes back `state`, `stateReason` and `nextRunAt`, conditionally on the
 * operator attributes it read (a newer edit is never overwritten; its own stream record syncs it).
 * The write changes only orchestrator attributes and records `specHash`, so the stream record it causes is
 * recognised as in sync and not synced again: no loop. Used by the stream handler, the reconcile schedule,
 * the CLI and the local stack (which has no streams). `force` re-judges an item that looks in sync;
 * `takenUpTo` says the tick has taken the policy's slots up to that instant (its next run must be later);
 * `wasTargets` says the version this item replaced was a `targets` policy (the stream's old image, the
 * CLI's read), so a policy that names one cache now still retires the targets it had.
 */
export async function syncPolicyItem(
  deps: SyncDeps,
  item: PolicyItem,
  force = false,
  takenUpTo?: Date,
  wasTargets = false,
): Promise<SyncOutcome> {
  if (!force && isInSync(item)) return { policyId: item.policyId, action: 'unchanged' };
  const now = deps.clock();
  const { targetsPolicy, view, ...verdict } = await judge(deps, item, now, takenUpTo);
  const activatedAt = activatedAtFor(item, verdict.state, now);
  const result: SyncResult = {
    ...verdict,
    activatedAt,
    specHash: computeSpecHash(item),
    syncedAt: toIso(now),
  };
  try {
    await deps.policies.writeSyncResult(item, result);
  } catch (error) {
    if (error instanceof ConditionalWriteError) {
      logger.info('policy changed since it was read; the newer version is synced on its own', {
        policyId: item.policyId,
      });
      return { policyId: item.policyId, action: 'stale' };
    }
    throw error;
  }
  const hadTargets = wasTargets || item.targets !== undefined;
  const enrolment = await syncTargets(
    deps,
    item.policyId,
    { state: result.state, policy: targetsPolicy, view, hadTargets },
    now,
  );
  const fields = {
    policyId: item.policyId,
    state: result.state,
    stateReason: result.stateReason,
    nextRunAt: result.nextRunAt,
  };
  if (result.state === 'INVALID') {
    recordMetric(METRIC.InvalidPolicies);
    logger.warn('policy invalid', { outcome: 'INVALID', ...fields });
  } else logger.info('policy synced', { outcome: result.state, ...fields });
  return { policyId: item.policyId, action: 'written', result, ...(enrolment && { enrolment }) };
}
