import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import { type PolicyIssue, PolicyValidationError } from '#lib/errors';
import {
  findShortestInterval,
  SCHEDULE_CHECK_START,
  type ShortestInterval,
} from '#lib/schedule/find-shortest-interval';
import { nextSlotAfter, parseSchedule } from '#lib/schedule/schedule';
import { describeType } from './attribute-checks';

/**
 * docs/architecture.md, policy record: at most one run per hour (a serverless cache allows 24 manual
 * snapshots per 24 h).
 */
export const MIN_SCHEDULE_INTERVAL_MS = HOUR_MS;

export interface CheckedSchedule {
  readonly schedule: string;
  /** Undefined when the schedule fires only once. */
  readonly shortest: ShortestInterval | undefined;
}

function minutes(ms: number): string {
  const count = Math.round(ms / MINUTE_MS);
  return `${count} minute${count === 1 ? '' : 's'}`;
}

function tooFrequent(shortest: ShortestInterval, timeZone: string): string {
  const where = shortest.aroundOffsetChange
    ? `${minutes(shortest.intervalMs)} apart at ${shortest.at.toISOString()} (a UTC offset change in ${timeZone})`
    : `every ${minutes(shortest.intervalMs)}`;
  return `fires ${where}; at most once per hour is allowed`;
}

/** Verdicts already reached, by time zone and expression: a tick re-validates every due policy. */
const verdicts = new Map<
  string,
  { readonly issues: readonly PolicyIssue[]; readonly checked: CheckedSchedule | undefined }
>();
const MAX_VERDICTS = 2_000;

/**
 * Checks `schedule`: EventBridge syntax, fires at least once after SCHEDULE_CHECK_START, and never twice
 * within an hour of real time in `timeZone` (DST included). `timeZone` must already be valid.
 * The verdict depends on the two strings only (the check starts at a fixed instant), so it is remembered
 * for the life of the process: the year-long DST scan runs once per schedule, not once per tick.
 */
export function checkSchedule(
  value: unknown,
  timeZone: string,
  issues: PolicyIssue[],
): CheckedSchedule | undefined {
  if (typeof value !== 'string') return judgeSchedule(value, timeZone, issues);
  const key = `${timeZone}\u0000${value}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    const found: PolicyIssue[] = [];
    verdict = { checked: judgeSchedule(value, timeZone, found), issues: found };
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(key, verdict);
  }
  issues.push(...verdict.issues);
  return verdict.checked;
}

function judgeSchedule(value: unknown, timeZone: string, issues: PolicyIssue[]): CheckedSchedule | undefined {
  const reject = (message: string): undefined => {
    issues.push({ attribute: 'schedule', message });
    return undefined;
  };
  if (value === undefined) return reject('is required');
  if (typeof value !== 'string') return reject(`must be a string (found ${describeType(value)})`);
  try {
    const schedule = parseSchedule(value);
    if (nextSlotAfter(schedule, timeZone, SCHEDULE_CHECK_START) === undefined) {
      return reject(`never fires after ${SCHEDULE_CHECK_START.toISOString()}`);
    }
    const shortest = findShortestInterval(schedule, timeZone);
    if (shortest !== undefined && shortest.intervalMs < MIN_SCHEDULE_INTERVAL_MS) {
      return reject(tooFrequent(shortest, timeZone));
    }
    return { schedule: value, shortest };
  } catch (error) {
    if (!(error instanceof PolicyValidationError)) return reject('could not be evaluated');
    issues.push(...error.issues);
    return undefined;
  }
}

/**
 * Checks that a slot's start window ends no later than the next slot can begin (window ≤ the shortest real
 * interval, DST included), so two slots of one policy never compete for the same cache.
 */
export function checkStartWindow(
  startWindowMinutes: number,
  checked: CheckedSchedule,
  issues: PolicyIssue[],
): void {
  const shortest = checked.shortest;
  if (shortest === undefined || startWindowMinutes * MINUTE_MS <= shortest.intervalMs) return;
  issues.push({
    attribute: 'startWindowMinutes',
    message: `${startWindowMinutes} is longer than the shortest time between runs (${minutes(shortest.intervalMs)}); windows of consecutive slots would overlap`,
  });
}
