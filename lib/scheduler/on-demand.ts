import { MINUTE_MS } from '#lib/clock';
import { logger } from '#lib/observability';
import { cacheKey, placementOf, resolvedPlacement } from '#lib/placements/placement';
import { newRunFor } from '#lib/runs/new-run';
import type { RunRecord } from '#lib/runs/types';
import { resolveTarget } from '#lib/targets/resolve-target';
import { claimRun } from './claim';
import type { SchedulerDeps } from './deps';
import { dispatch } from './dispatch';
import { loadUsablePolicy } from './load-policy';
import { publishEvents } from './tick';

/** What `cache-snapshots snapshot` asks for. */
export interface OnDemandRequest {
  readonly policyId: string;
  /**
   * The target's cache: required for a `targets` policy (an ACTIVE target of it), optional (and checked) for
   * a `cacheName` one.
   */
  readonly cacheName?: string;
  /** Exempt the snapshot from retention (tag `snapshot-orchestrator-keep = true`). */
  readonly keep: boolean;
  /** Who claims the run (like a tick's owner): names this invocation. */
  readonly owner: string;
}

/**
 * - `refused`: nothing was written; `reason` says which rule (unknown, invalid or disabled policy, the cache
 *   not the policy's or not an ACTIVE target of it: resolveTarget).
 * - `taken`: this invocation claimed the minute's run and worked it; `run` as it now stands (REQUESTED,
 *   RETRYING when the cache is busy, FAILED with the code, …).
 * - `already-taken`: this minute's on-demand run of the target existed (another invocation at the same
 *   moment): `run` is that one; no second snapshot.
 */
export type OnDemandResult =
  | { readonly outcome: 'refused'; readonly reason: string }
  | { readonly outcome: 'taken' | 'already-taken'; readonly run: RunRecord };

/**
 * A snapshot of one target now (docs/architecture.md, "On-demand snapshots"): a run of kind ON_DEMAND whose
 * slot is the current minute, claimed with the tick's conditional create (so the command run twice at the
 * same moment makes one snapshot) and worked by the tick's own dispatch: one snapshot in flight per cache
 * (a busy cache makes it a durable retry that a later tick takes up), the quota fault handled by
 * retention, the managed tags, and completion, retention and events like any run.
 */
export async function takeOnDemandSnapshot(
  deps: SchedulerDeps,
  request: OnDemandRequest,
): Promise<OnDemandResult> {
  try {
    const policy = await loadUsablePolicy(deps, request.policyId);
    if (typeof policy === 'string') return { outcome: 'refused', reason: policy };
    const target = await resolveTarget(deps.targets.table, policy, request.cacheName);
    if (typeof target === 'string') return { outcome: 'refused', reason: target };
    const minute = new Date(Math.floor(deps.clock().getTime() / MINUTE_MS) * MINUTE_MS);
    const placement = await resolvedPlacement(target, () => deps.placements.home());
    const fresh = newRunFor(target, minute, deps.settings.deploymentName, placement, 'ON_DEMAND');
    const run = await claimRun(deps, request.keep ? { ...fresh, keep: true } : fresh, request.owner);
    if (!run) return { outcome: 'already-taken', run: await readRun(deps, fresh) };
    await dispatch(deps, [{ run, policy: target }], await busyCaches(deps, run));
    return { outcome: 'taken', run: await readRun(deps, run) };
  } finally {
    await publishEvents(deps);
  }
}

async function readRun(deps: SchedulerDeps, key: Parameters<SchedulerDeps['runs']['get']>[0]) {
  const run = await deps.runs.get(key);
  if (!run) throw new Error(`run ${key.policyId}/${key.cacheName}/${key.slot} vanished after its claim`);
  return run;
}

/**
 * The cache as the tick's completion pass would judge it: busy while any snapshot of it is being made. A
 * listing that fails counts as busy, as in the tick: the run becomes a durable retry, never a second
 * snapshot in flight.
 */
async function busyCaches(deps: SchedulerDeps, run: RunRecord): Promise<ReadonlySet<string>> {
  const { cacheName } = run;
  const key = cacheKey(placementOf(run), cacheName);
  try {
    const snapshots = await deps.placements.snapshots(placementOf(run)).listSnapshots(cacheName);
    return new Set(snapshots.some((snapshot) => snapshot.status === 'creating') ? [key] : []);
  } catch (error) {
    logger.warn('could not list the cache’s snapshots; treating it as busy', { cacheName, error });
    return new Set([key]);
  }
}
