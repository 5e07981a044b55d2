import { toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { AssumeRoleError } from '#lib/errors';
import { logger } from '#lib/observability';
import { placementOf } from '#lib/placements/placement';
import type { Policy } from '#lib/policy/types';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { findOwnSnapshot } from '#lib/runs/own-snapshot';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { ended, withOwnSnapshot } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { reclaim } from './claim';
import type { SchedulerDeps, WorkItem } from './deps';
import { loadUsablePolicy } from './load-policy';
import { failUnlessCreated } from './settle-fault';

/**
 * Takes up runs that a tick left open and that are due again: durable retries whose `retryAt` has come, and
 * claims whose lease expired (a crashed or timed-out tick). Each is claimed anew before any call, so
 * concurrent ticks never both work on it. A run whose start window has closed ends here: FAILED with the
 * last fault code, or, for an abandoned claim, REQUESTED when the snapshot was in fact created, else MISSED.
 */
export async function resumeRuns(
  deps: SchedulerDeps,
  runs: readonly RunRecord[],
  owner: string,
): Promise<WorkItem[]> {
  const policies = new Map<string, Promise<Policy | string>>();
  const policyOf = (policyId: string) => {
    const known = policies.get(policyId) ?? loadUsablePolicy(deps, policyId);
    policies.set(policyId, known);
    return known;
  };
  const items: WorkItem[] = [];
  await runBounded(runs, deps.settings.concurrency, async (run) => {
    try {
      const item = await resumeRun(deps, run, await policyOf(run.policyId), owner);
      if (item) items.push(item);
    } catch (error) {
      logger.error('could not resume the run; a later tick will', { ...runFields(run), error });
    }
  });
  return items;
}

async function resumeRun(
  deps: SchedulerDeps,
  run: RunRecord,
  policy: Policy | string,
  owner: string,
): Promise<WorkItem | undefined> {
  const now = deps.clock();
  const days = deps.settings.runRetentionDays;
  if (run.status === 'CLAIMED' && (run.leaseExpiresAt ?? '') > toIso(now)) return undefined;
  if (typeof policy === 'string') {
    await saveRun(
      deps,
      ended(run, 'SKIPPED', now, days, { code: OUTCOME_CODE.PolicyUnavailable, message: policy }),
      run,
    );
    return undefined;
  }
  if (toIso(now) > run.windowClosesAt) {
    await closeLateRun(deps, run, now);
    return undefined;
  }
  const claimed = await reclaim(deps, run, owner);
  return claimed ? { run: claimed, policy } : undefined;
}

async function closeLateRun(deps: SchedulerDeps, run: RunRecord, now: Date): Promise<void> {
  const days = deps.settings.runRetentionDays;
  if (run.status === 'RETRYING') {
    const reason = run.lastError ?? { code: OUTCOME_CODE.StartWindowClosed, message: 'start window closed' };
    await saveRun(deps, await failUnlessCreated(deps, run, reason), run);
    return;
  }
  const gateway = deps.placements.snapshots(placementOf(run));
  let own: Awaited<ReturnType<typeof findOwnSnapshot>>;
  try {
    own = await findOwnSnapshot(gateway, run, deps.settings.deploymentName);
  } catch (error) {
    if (!(error instanceof AssumeRoleError)) throw error;
    // The account cannot be reached to tell whether the abandoned claim's Create went through.
    const reason = { code: error.code, message: error.message.slice(0, 1000) };
    await saveRun(deps, ended(run, 'FAILED', now, days, reason), run);
    return;
  }
  if (own.found === 'ours') {
    await saveRun(deps, withOwnSnapshot(run, own.snapshot, now, deps.settings.pollIntervalMs), run);
    return;
  }
  const reason = {
    code: OUTCOME_CODE.ClaimAbandoned,
    message: 'the tick that claimed this slot did not finish before the start window closed',
  };
  await saveRun(deps, ended(run, 'MISSED', now, days, reason), run);
}
