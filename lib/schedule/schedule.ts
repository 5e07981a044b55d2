import { parseCronExpression } from './cron-expression';
import { assertCronerAccepts, latestCronSlotAtOrBefore, nextCronSlotAfter } from './cron-slots';
import { failSchedule, failTimeZone } from './fail-schedule';
import { latestRateSlotAtOrBefore, nextRateSlotAfter, parseRateExpression } from './rate-slots';
import { isValidTimeZone } from './time-zone';
import type { Schedule } from './types';

/** Longest schedule expression accepted; EventBridge's own limit is 256 characters. */
export const MAX_SCHEDULE_LENGTH = 256;

/**
 * Parses an EventBridge schedule expression: `cron(min hour day-of-month month day-of-week year)` or
 * `rate(N minutes|hours|days)` (surrounding whitespace ignored). Throws a PolicyValidationError with one
 * `schedule` issue saying what is wrong. How often it fires is not judged here (see findShortestInterval).
 */
export function parseSchedule(expression: string): Schedule {
  const text = expression.trim();
  if (text.length > MAX_SCHEDULE_LENGTH) failSchedule(`is longer than ${MAX_SCHEDULE_LENGTH} characters`);
  const match = /^(cron|rate)\((.*)\)$/s.exec(text);
  if (match?.[2] === undefined) {
    failSchedule('must be cron(min hour day-of-month month day-of-week year) or rate(N hours|days)');
  }
  if (match[1] === 'rate') return parseRateExpression(text, match[2]);
  const schedule = parseCronExpression(text, match[2]);
  try {
    assertCronerAccepts(schedule.pattern);
  } catch (error) {
    failSchedule(
      `cron is not understood (${error instanceof Error ? error.message.slice(0, 100) : 'error'})`,
    );
  }
  return schedule;
}

function checkArguments(timeZone: string, ...dates: Date[]): void {
  if (!isValidTimeZone(timeZone)) failTimeZone(timeZone);
  for (const date of dates) {
    if (Number.isNaN(date.getTime())) throw new RangeError('schedule arithmetic needs a valid Date');
  }
}

/** The first slot strictly after `after`, or undefined when the schedule never fires again. */
export function nextSlotAfter(schedule: Schedule, timeZone: string, after: Date): Date | undefined {
  checkArguments(timeZone, after);
  const slot =
    schedule.kind === 'rate'
      ? nextRateSlotAfter(schedule, timeZone, after.getTime())
      : nextCronSlotAfter(schedule, timeZone, after.getTime());
  return slot === undefined ? undefined : new Date(slot);
}

/**
 * The last slot at or before `at`, or undefined when there is none. Cost does not grow with the distance to
 * that slot (croner walks the fields backwards; rates are arithmetic).
 */
export function latestSlotAtOrBefore(schedule: Schedule, timeZone: string, at: Date): Date | undefined {
  checkArguments(timeZone, at);
  const slot =
    schedule.kind === 'rate'
      ? latestRateSlotAtOrBefore(schedule, timeZone, at.getTime())
      : latestCronSlotAtOrBefore(schedule, timeZone, at.getTime());
  return slot === undefined ? undefined : new Date(slot);
}

/** The slots in (`fromExclusive`, `toInclusive`], in order, at most `limit` of them. */
export function slotsBetween(
  schedule: Schedule,
  timeZone: string,
  fromExclusive: Date,
  toInclusive: Date,
  limit: number,
): Date[] {
  checkArguments(timeZone, fromExclusive, toInclusive);
  const slots: Date[] = [];
  let cursor = fromExclusive;
  while (slots.length < limit) {
    const next = nextSlotAfter(schedule, timeZone, cursor);
    if (next === undefined || next.getTime() > toInclusive.getTime()) break;
    slots.push(next);
    cursor = next;
  }
  return slots;
}
