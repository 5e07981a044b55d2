import { toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { ConditionalWriteError } from '#lib/errors';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { validatePolicy } from '#lib/policy/parse-policy';
import { isCachePolicy } from '#lib/policy/policy-for-target';
import type { CachePolicy, PolicyItem } from '#lib/policy/types';
import { startWindowEnd } from '#lib/runs/new-run';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { latestSlotAtOrBefore, nextSlotAfter, slotsBetween } from '#lib/schedule/policy-slots';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { claimSlot, recordMissed } from './claim';
import type { SchedulerDeps, WorkItem } from './deps';

/**
 * When a tick takes slots: its event time, but never later than its clock. A slot later than the clock is
 * not due, whatever time the tick was asked for: it is neither claimed nor recorded MISSED, and nextRunAt
 * does not move past it.
 */
function dueAt(deps: SchedulerDeps, at: Date): Date {
  const now = deps.clock();
  if (at <= now) return at;
  logger.warn('tick time is ahead of the clock; slots are taken only up to the clock', {
    at: toIso(at),
    now: toIso(now),
  });
  return now;
}

/**
 * Finds the policies due at `at` through the due index, reads each afresh (one consistent BatchGetItem per
 * 100: the index is eventually consistent, so a policy disabled or changed just before its slot is honoured),
 * and takes each one's latest slot: slots skipped by an outage are recorded MISSED (only the latest is
 * taken), a slot whose start window has closed is MISSED, the rest are claimed. Then `nextRunAt` moves on. A
 * policy whose step fails is logged and left as it was, so the next tick takes it again: nothing is lost, and
 * no policy stops the others.
 */
export async function takeDueSlots(deps: SchedulerDeps, at: Date, owner: string): Promise<WorkItem[]> {
  const until = dueAt(deps, at);
  const listed: string[] = [];
  for await (const item of deps.policies.listDue(toIso(until))) listed.push(item.policyId);
  const fresh = await deps.policies.getMany(listed);
  const items: WorkItem[] = [];
  await runBounded(listed, deps.settings.concurrency, async (policyId) => {
    try {
      const item = fresh.get(policyId);
      const work = item ? await takeDueSlot(deps, item, until, owner) : undefined;
      if (work) items.push(work);
    } catch (error) {
      logger.error('could not take the due slot; the next tick will take it', { policyId, error });
    }
  });
  return items;
}

/** Takes `item`'s due slot, `item` as read afresh; nothing when it is no longer due (the index lagged). */
async function takeDueSlot(
  deps: SchedulerDeps,
  item: PolicyItem,
  at: Date,
  owner: string,
): Promise<WorkItem | undefined> {
  const from = item.nextRunAt;
  if (item.state !== 'ACTIVE' || typeof from !== 'string' || from > toIso(at)) {
    logger.debug('no longer due on a fresh read; the due index lagged', { policyId: item.policyId });
    return undefined;
  }
  const parsed = validatePolicy(item);
  if (!parsed.ok || !parsed.policy.enabled || !isCachePolicy(parsed.policy)) {
    // Policy sync decides the state of a record that no longer parses or is disabled (not the tick), and
    // clears the nextRunAt of a targets policy (its targets keep their own).
    await syncPolicyItem(deps, item, true);
    return undefined;
  }
  const policy = parsed.policy;
  const latest = latestSlotAtOrBefore(policy, at);
  let work: WorkItem | undefined;
  if (latest && toIso(latest) >= from) {
    await recordSkippedSlots(deps, policy, new Date(from), latest);
    const now = deps.clock();
    if (now > startWindowEnd(policy, latest)) {
      await recordMissed(deps, policy, latest, {
        code: OUTCOME_CODE.StartWindowClosed,
        message: `not started within startWindowMinutes (${policy.startWindowMinutes}) of the slot`,
      });
    } else {
      const run = await claimSlot(deps, policy, latest, owner);
      if (run) work = { run, policy };
    }
  }
  const takenUpTo = latest ?? at;
  const next = nextSlotAfter(policy, takenUpTo);
  // No slot left (the year field has passed): never an ACTIVE policy without a next run; policy sync judges
  // it with its slots up to here counted as taken, and marks it DISABLED with the reason.
  if (next) await advance(policy, from, next, deps);
  else await syncPolicyItem(deps, item, true, takenUpTo);
  return work;
}

/**
 * After an outage only the latest slot runs: the earlier slots since `from` are recorded MISSED, the
 * `maxMissedRecords` nearest to the latest one by one (walking back, so a long outage costs no more), and
 * any beyond that counted in a log line and the Missed metric.
 */
async function recordSkippedSlots(
  deps: SchedulerDeps,
  policy: CachePolicy,
  from: Date,
  latest: Date,
): Promise<void> {
  const skipped: Date[] = [];
  let slot = latestSlotAtOrBefore(policy, new Date(latest.getTime() - 1));
  while (slot && slot >= from && skipped.length < deps.settings.maxMissedRecords) {
    skipped.push(slot);
    slot = latestSlotAtOrBefore(policy, new Date(slot.getTime() - 1));
  }
  if (slot && slot >= from) {
    const unrecorded = slotsBetween(policy, new Date(from.getTime() - 1), slot, 100_000).length;
    recordMetric(METRIC.Missed, unrecorded);
    logger.warn('slots skipped by an outage, beyond those recorded one by one', {
      policyId: policy.policyId,
      unrecorded,
      from: toIso(from),
      upTo: toIso(slot),
    });
  }
  for (const missed of skipped.reverse()) {
    await recordMissed(deps, policy, missed, {
      code: OUTCOME_CODE.SlotSuperseded,
      message: `the scheduler did not run between this slot and ${toIso(latest)}; only the latest slot is taken`,
    });
  }
}

async function advance(policy: CachePolicy, from: string, to: Date, deps: SchedulerDeps): Promise<void> {
  try {
    await deps.policies.advanceNextRun(policy.policyId, from, toIso(to));
  } catch (error) {
    if (!(error instanceof ConditionalWriteError)) throw error;
    logger.debug('nextRunAt already moved by another tick or an edit', { policyId: policy.policyId });
  }
}
