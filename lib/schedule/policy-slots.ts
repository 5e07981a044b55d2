import * as slots from './schedule';
import type { Schedule } from './types';

/** What slot arithmetic needs of a policy: its schedule expression and time zone (both already valid). */
export interface PolicyTiming {
  readonly schedule: string;
  readonly timezone: string;
}

const MAX_CACHED_SCHEDULES = 500;
const parsed = new Map<string, Schedule>();

function scheduleOf(policy: PolicyTiming): Schedule {
  let schedule = parsed.get(policy.schedule);
  if (schedule === undefined) {
    schedule = slots.parseSchedule(policy.schedule);
    if (parsed.size >= MAX_CACHED_SCHEDULES) parsed.clear();
    parsed.set(policy.schedule, schedule);
  }
  return schedule;
}

/**
 * The slot functions of schedule.ts for a parsed policy (parsing its schedule once, cached): what the
 * scheduler and policy sync call. The policy must come from parsePolicy, so nothing here is expected to throw.
 */
export function nextSlotAfter(policy: PolicyTiming, after: Date): Date | undefined {
  return slots.nextSlotAfter(scheduleOf(policy), policy.timezone, after);
}

/** The policy's last slot at or before `at`, or undefined when it had none. */
export function latestSlotAtOrBefore(policy: PolicyTiming, at: Date): Date | undefined {
  return slots.latestSlotAtOrBefore(scheduleOf(policy), policy.timezone, at);
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
