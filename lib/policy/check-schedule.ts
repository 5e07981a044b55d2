import { DAY_MS, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { BoundedCache } from '#lib/collections';
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

/** How often a schedule attribute may fire, and the attribute its issues name. */
export interface ScheduleRule {
  readonly attribute: string;
  readonly minIntervalMs: number;
  /**
   * How much shorter than `minIntervalMs` one gap may be when it shows only around a change of the zone's
   * UTC offset: a daily local time is 23 hours apart once a year in a zone with DST (2 hours covers every
   * zone's change, Antarctica/Troll's included).
   */
  readonly offsetChangeToleranceMs: number;
  /** The limit in words: "at most once per hour". */
  readonly limit: string;
}

/** The snapshot `schedule`: at most hourly, DST included. */
export const SNAPSHOT_SCHEDULE_RULE: ScheduleRule = {
  attribute: 'schedule',
  minIntervalMs: MIN_SCHEDULE_INTERVAL_MS,
  offsetChangeToleranceMs: 0,
  limit: 'at most once per hour',
};

/**
 * `restoreTest.schedule` (docs/architecture.md, "Restore tests"): at most daily. Each test restores into a
 * scratch cache billed while it exists, and one a day is already more proof than a weekly snapshot needs.
 */
export const RESTORE_TEST_SCHEDULE_RULE: ScheduleRule = {
  attribute: 'restoreTest.schedule',
  minIntervalMs: DAY_MS,
  offsetChangeToleranceMs: 2 * HOUR_MS,
  limit: 'at most once per day',
};

export interface CheckedSchedule {
  readonly schedule: string;
  /** Undefined when the schedule fires only once. */
  readonly shortest: ShortestInterval | undefined;
}

function minutes(ms: number): string {
  const count = Math.round(ms / MINUTE_MS);
  return `${count} minute${count === 1 ? '' : 's'}`;
}

function tooFrequent(shortest: ShortestInterval, timeZone: string, rule: ScheduleRule): string {
  const where = shortest.aroundOffsetChange
    ? `${minutes(shortest.intervalMs)} apart at ${shortest.at.toISOString()} (a UTC offset change in ${timeZone})`
    : `every ${minutes(shortest.intervalMs)}`;
  return `fires ${where}; ${rule.limit} is allowed`;
}

function breaksRule(shortest: ShortestInterval, rule: ScheduleRule): boolean {
  const tolerance = shortest.aroundOffsetChange ? rule.offsetChangeToleranceMs : 0;
  return shortest.intervalMs < rule.minIntervalMs - tolerance;
}

/** Verdicts already reached, by attribute, time zone and expression: a tick re-validates every due policy. */
const verdicts = new BoundedCache<{
  readonly issues: readonly PolicyIssue[];
  readonly checked: CheckedSchedule | undefined;
}>(2_000);

/**
 * Checks a schedule attribute (`schedule` unless `rule` says another): EventBridge syntax, fires at least
 * once after SCHEDULE_CHECK_START, and never twice within `rule.minIntervalMs` of real time in `timeZone`
 * (DST included; an hour for `schedule`). `timeZone` must already be valid. The verdict depends on the
 * strings and the rule only (the check starts at a fixed instant), so it is remembered for the life of the
 * process: the year-long DST scan runs once per schedule, not once per tick.
 */
export function checkSchedule(
  value: unknown,
  timeZone: string,
  issues: PolicyIssue[],
  rule: ScheduleRule = SNAPSHOT_SCHEDULE_RULE,
): CheckedSchedule | undefined {
  if (typeof value !== 'string') return judgeSchedule(value, timeZone, issues, rule);
  const verdict = verdicts.get(`${rule.attribute}\u0000${timeZone}\u0000${value}`, () => {
    const found: PolicyIssue[] = [];
    return { checked: judgeSchedule(value, timeZone, found, rule), issues: found };
  });
  issues.push(...verdict.issues);
  return verdict.checked;
}

function judgeSchedule(
  value: unknown,
  timeZone: string,
  issues: PolicyIssue[],
  rule: ScheduleRule,
): CheckedSchedule | undefined {
  const reject = (message: string): undefined => {
    issues.push({ attribute: rule.attribute, message });
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
    if (shortest !== undefined && breaksRule(shortest, rule)) {
      return reject(tooFrequent(shortest, timeZone, rule));
    }
    return { schedule: value, shortest };
  } catch (error) {
    if (!(error instanceof PolicyValidationError)) return reject('could not be evaluated');
    // parseSchedule names `schedule`; the issue belongs to the attribute checked.
    for (const issue of error.issues) {
      issues.push({ ...issue, attribute: issue.attribute.replace(/^schedule/, rule.attribute) });
    }
    return undefined;
  }
}

/**
 * Checks that a slot's start window ends no later than the next slot can begin (window ≤ the shortest real
 * interval, DST included), so two slots of one policy never compete for the same cache. `attribute` names
 * another such window (`restoreTest.maxMinutes`: a restore test ends before the next one may start).
 */
export function checkStartWindow(
  windowMinutes: number,
  checked: CheckedSchedule,
  issues: PolicyIssue[],
  attribute = 'startWindowMinutes',
): void {
  const shortest = checked.shortest;
  if (shortest === undefined || windowMinutes * MINUTE_MS <= shortest.intervalMs) return;
  issues.push({
    attribute,
    message: `${windowMinutes} is longer than the shortest time between runs (${minutes(shortest.intervalMs)}); windows of consecutive slots would overlap`,
  });
}
