import { BoundedCache } from '#lib/collections';
import * as slots from './schedule';
import type { Schedule } from './types';

/** What slot arithmetic needs of a policy: its schedule expression and time zone (both already valid). */
export interface PolicyTiming {
  readonly schedule: string;
  readonly timezone: string;
}

const parsed = new BoundedCache<Schedule>(500);

function scheduleOf(policy: PolicyTiming): Schedule {
  return parsed.get(policy.schedule, () => slots.parseSchedule(policy.schedule));
}

/**
 * The slots found, by schedule, time zone, question and instant (epoch ms; undefined: none). Policies and
 * targets sharing a schedule ask a tick the same two questions at the same instants (the tick's time, the
 * slot just taken), so a 1,000-due tick of one schedule runs croner twice, not 2,000 times.
 */
const found = new BoundedCache<number | undefined>(2000);

function remembered(
  question: 'next' | 'latest',
  policy: PolicyTiming,
  at: Date,
  find: (schedule: Schedule) => Date | undefined,
): Date | undefined {
  const key = `${question}\u0000${policy.timezone}\u0000${policy.schedule}\u0000${at.getTime()}`;
  const ms = found.get(key, () => find(scheduleOf(policy))?.getTime());
  return ms === undefined ? undefined : new Date(ms);
}

/**
 * The slot functions of schedule.ts for a parsed policy (parsing its schedule once; slots found kept, as
 * above): what the scheduler and policy sync call. The policy must come from parsePolicy, so nothing here is
 * expected to throw.
 */
export function nextSlotAfter(policy: PolicyTiming, after: Date): Date | undefined {
  return remembered('next', policy, after, (schedule) =>
    slots.nextSlotAfter(schedule, policy.timezone, after),
  );
}

/** The policy's last slot at or before `at`, or undefined when it had none. */
export function latestSlotAtOrBefore(policy: PolicyTiming, at: Date): Date | undefined {
  return remembered('latest', policy, at, (schedule) =>
    slots.latestSlotAtOrBefore(schedule, policy.timezone, at),
  );
}

/** The policy's slots in (`fromExclusive`, `toInclusive`], in order, at most `limit`. */
export function slotsBetween(
  policy: PolicyTiming,
  fromExclusive: Date,
  toInclusive: Date,
  limit: number,
): Date[] {
  return slots.slotsBetween(scheduleOf(policy), policy.timezone, fromExclusive, toInclusive, limit);
}
