import { DAY_MS, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { failSchedule } from './fail-schedule';
import { instantOfWallTime, localDayNumber } from './time-zone';
import type { RateSchedule, RateUnit } from './types';

/**
 * Rate schedules, anchored so that every call yields the same slots (EventBridge anchors a rate at the
 * rule's creation, which a stateless evaluator cannot know):
 * - `rate(N minutes|hours)`: every multiple of N minutes/hours since the Unix epoch, in UTC; the policy's
 *   time zone plays no part (`rate(6 hours)` fires at 00:00, 06:00, 12:00, 18:00 UTC);
 * - `rate(N days)`: local midnight in the policy's time zone of every date whose day number since
 *   1970-01-01 (local calendar) is a multiple of N. A midnight lost to DST fires at the first instant after
 *   the gap, like a fixed-time cron.
 */

const UNITS: Record<string, RateUnit> = {
  minute: 'minutes',
  minutes: 'minutes',
  hour: 'hours',
  hours: 'hours',
  day: 'days',
  days: 'days',
};
const UNIT_MS = { minutes: MINUTE_MS, hours: HOUR_MS } as const;
const MAX_RATE_VALUE = 1_000_000;

/** Parses the inside of `rate(...)`: a positive whole number and a unit, singular exactly when N is 1. */
export function parseRateExpression(expression: string, body: string): RateSchedule {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2]];
  if (match?.[1] === undefined || unit === undefined) {
    failSchedule('rate must be rate(N minutes|hours|days), e.g. rate(6 hours) or rate(1 day)');
  }
  const value = Number(match[1]);
  if (value < 1 || value > MAX_RATE_VALUE) failSchedule(`rate value must be 1-${MAX_RATE_VALUE}`);
  const plural = match[2]?.endsWith('s') === true;
  if (plural !== value > 1) {
    failSchedule(`rate unit must be ${value === 1 ? 'singular' : 'plural'} for ${value}`);
  }
  return { kind: 'rate', expression, value, unit };
}

/** The first slot strictly after `after` (epoch ms). */
export function nextRateSlotAfter(schedule: RateSchedule, timeZone: string, after: number): number {
  if (schedule.unit !== 'days') {
    const period = schedule.value * UNIT_MS[schedule.unit];
    return Math.floor(after / period) * period + period;
  }
  let day = Math.ceil(localDayNumber(after, timeZone) / schedule.value) * schedule.value;
  for (;;) {
    const slot = instantOfWallTime(day * DAY_MS, timeZone);
    if (slot > after) return slot;
    day += schedule.value;
  }
}

/** The last slot at or before `at` (epoch ms). */
export function latestRateSlotAtOrBefore(schedule: RateSchedule, timeZone: string, at: number): number {
  if (schedule.unit !== 'days') {
    const period = schedule.value * UNIT_MS[schedule.unit];
    return Math.floor(at / period) * period;
  }
  let day = Math.floor(localDayNumber(at, timeZone) / schedule.value) * schedule.value;
  for (;;) {
    const slot = instantOfWallTime(day * DAY_MS, timeZone);
    if (slot <= at) return slot;
    day -= schedule.value;
  }
}
