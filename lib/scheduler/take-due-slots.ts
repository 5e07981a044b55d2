import { toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { validatePolicy } from '#lib/policy/parse-policy';
import { policyForTarget } from '#lib/policy/policy-for-target';
import type { CachePolicy, Policy, PolicyItem } from '#lib/policy/types';
import { startWindowEnd } from '#lib/runs/new-run';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import type { RunRecord } from '#lib/runs/types';
import { latestSlotAtOrBefore, nextSlotAfter, slotsBetween } from '#lib/schedule/policy-slots';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import type { DueTarget } from '#lib/targets/types';
import { advanceTarget, holdingSummaries } from './advance-target';
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
 * Finds the targets due at `at` through both due indexes (a `cacheName` policy's on its item, a `targets`
 * policy's in the targets table), reads each one's policy afresh (one consistent BatchGetItem per 100
 * policies: the indexes are eventually consistent, so a policy disabled or changed just before its slot is
 * honoured), and takes each target's latest slot: slots skipped by an outage are recorded MISSED (only the
 * latest is taken), a slot whose start window has closed is MISSED, the rest are claimed, one run per
 * (policy, cache, slot). Then the target's `nextRunAt` moves on. A target whose step fails is logged and left
 * as it was, so the next tick takes it again: nothing is lost, and no target stops the others.
 */
export async function takeDueSlots(deps: SchedulerDeps, at: Date, owner: string): Promise<WorkItem[]> {
  const until = dueAt(deps, at);
  const due: DueTarget[] = [];
  for await (const target of deps.targets.listDue(toIso(until))) due.push(target);
  const fresh = await deps.policies.getMany([...new Set(due.map((target) => target.policyId))]);
  const items: WorkItem[] = [];
  await runBounded(due, deps.settings.concurrency, async (target) => {
    try {
      const work = await takeDueTarget(deps, target, fresh.get(target.policyId), until, owner);
      if (work) items.push(work);
    } catch (error) {
      const { policyId, cacheName } = target;
      logger.error('could not take the due slot; the next tick will take it', { policyId, cacheName, error });
    }
  });
  return items;
}

/**
 * The policy of a due target, as read afresh, when it may take a slot; otherwise undefined, after handing a
 * policy item that is no longer valid or enabled to policy sync (which judges it and retires its targets), or
 * retiring a targets-table target whose policy is gone or not ACTIVE (so it leaves the due index).
 */
async function usablePolicy(
  deps: SchedulerDeps,
  target: DueTarget,
  item: PolicyItem | undefined,
  at: Date,
): Promise<{ policy: Policy; item: PolicyItem; from: string } | undefined> {
  const active = item?.state === 'ACTIVE';
  const from = target.home === 'policy' ? item?.nextRunAt : target.nextRunAt;
  if (active && (typeof from !== 'string' || from > toIso(at))) {
    logger.debug('no longer due on a fresh read; the due index lagged', keyOf(target));
    return undefined;
  }
  const parsed = active && item ? validateOnce(item) : undefined;
  const policy = parsed?.ok && parsed.policy.enabled ? parsed.policy : undefined;
  const homeFits = target.home === 'policy' ? policy?.cacheName !== undefined : policy?.targets !== undefined;
  if (policy && homeFits && item && typeof from === 'string') return { policy, item, from };
  if (target.home === 'targets') {
    const reason =
      item === undefined ? 'the policy was deleted' : `the policy is ${item.state ?? 'not synced'}`;
    await deps.targets.table.retire(target, toIso(deps.clock()), reason);
    logger.info('target retired: its policy cannot take slots', {
      outcome: 'TargetRetired',
      ...keyOf(target),
      reason,
    });
  } else if (active && item) {
    // Policy sync decides the state of a record that no longer parses or is disabled (not the tick).
    await syncPolicyItem(deps, item, true);
  } else logger.debug('no longer due on a fresh read; the due index lagged', keyOf(target));
  return undefined;
}

/**
 * validatePolicy once per policy item read afresh: a targets policy with many due targets in one tick is
 * checked once, not once per target (the items are this tick's reads, so the cache ends with the tick).
 */
const validated = new WeakMap<PolicyItem, ReturnType<typeof validatePolicy>>();
function validateOnce(item: PolicyItem): ReturnType<typeof validatePolicy> {
  const known = validated.get(item);
  if (known !== undefined) return known;
  const verdict = validatePolicy(item);
  validated.set(item, verdict);
  return verdict;
}

const keyOf = (target: DueTarget) => ({ policyId: target.policyId, cacheName: target.cacheName });

/**
 * The latest slot at or before `at` and the one after it. Normally `from` (the target's nextRunAt, a slot of
 * the schedule) is itself the latest, which saves croner's backward walk (perf-findings item 3).
 */
function slotsAround(policy: CachePolicy, from: Date, at: Date) {
  const afterFrom = from <= at ? nextSlotAfter(policy, from) : undefined;
  if (from <= at && (afterFrom === undefined || afterFrom > at)) return { latest: from, next: afterFrom };
  const latest = latestSlotAtOrBefore(policy, at);
  return { latest, next: nextSlotAfter(policy, latest ?? at) };
}

/** Takes a due target's slot; nothing when its policy cannot, or it is no longer due (the index lagged). */
async function takeDueTarget(
  deps: SchedulerDeps,
  target: DueTarget,
  item: PolicyItem | undefined,
  at: Date,
  owner: string,
): Promise<WorkItem | undefined> {
  const usable = await usablePolicy(deps, target, item, at);
  if (!usable) return undefined;
  const { from } = usable;
  const policy = policyForTarget(usable.policy, target.cacheName);
  const { latest, next } = slotsAround(policy, new Date(from), at);
  const slot = latest && toIso(latest) >= from ? latest : undefined;
  if (!next) {
    // No slot left (the year field has passed): never an ACTIVE target without a next run; policy sync judges
    // the policy with its slots up to here counted as taken, marks it DISABLED and retires its targets.
    const run = slot && (await takeSlot(deps, policy, from, slot, owner));
    await syncPolicyItem(deps, usable.item, true, latest ?? at);
    return run ? { run, policy } : undefined;
  }
  const pending = { target: { ...target, nextRunAt: from }, to: toIso(next), slot: toIso(slot ?? at) };
  const held = holdingSummaries(deps.targets, pending);
  const run = slot && (await takeSlot({ ...deps, targets: held.targets }, policy, from, slot, owner));
  // A claimed run's target moves on once the run's first outcome is written (dispatch), in the same write.
  if (run) return { run, policy, advance: pending };
  await advanceTarget(deps, pending, held.taken());
  return undefined;
}

/**
 * Takes `latest`: the slots an outage skipped since `from` recorded MISSED, then `latest` itself MISSED when
 * its start window has closed, else claimed. The claimed run, if any.
 */
async function takeSlot(
  deps: SchedulerDeps,
  policy: CachePolicy,
  from: string,
  latest: Date,
  owner: string,
): Promise<RunRecord | undefined> {
  await recordSkippedSlots(deps, policy, new Date(from), latest);
  if (deps.clock() > startWindowEnd(policy, latest)) {
    await recordMissed(deps, policy, latest, {
      code: OUTCOME_CODE.StartWindowClosed,
      message: `not started within startWindowMinutes (${policy.startWindowMinutes}) of the slot`,
    });
    return undefined;
  }
  return claimSlot(deps, policy, latest, owner);
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
