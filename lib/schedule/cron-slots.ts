import { Cron } from 'croner';
import { MINUTE_MS } from '#lib/clock';
import { BoundedCache } from '#lib/collections';
import { isRepeatedWallTime } from './time-zone';
import type { CronSchedule } from './types';

/**
 * Cron arithmetic by croner (year field, Quartz weekdays, L/W/#, time zones; it jumps field by field, so a
 * yearly or far-away slot costs the same as an hourly one). On top of croner, a wall time that occurs twice
 * (clocks fall back) fires once, at its first occurrence, for every schedule: croner fires interval
 * schedules (several times a day) on both passes, which would put two snapshots in one wall hour.
 * A wall time that does not exist (clocks spring forward) is croner's rule: a schedule with one minute and
 * one hour value fires at the first instant after the gap; one firing several times a day skips it, so its
 * next run keeps the real-time spacing.
 */

const jobs = new BoundedCache<Cron>(500);

function jobFor(pattern: string, timeZone: string): Cron {
  return jobs.get(
    `${timeZone} ${pattern}`,
    () =>
      new Cron(pattern, {
        timezone: timeZone,
        paused: true,
        mode: '7-part',
        alternativeWeekdays: true,
        domAndDow: true,
      }),
  );
}

/** Checks that croner accepts the translated pattern (a second line of defence behind our own parser). */
export function assertCronerAccepts(pattern: string): void {
  jobFor(pattern, 'UTC');
}

/** The first slot strictly after `after` (epoch ms), or undefined when the schedule never fires again. */
export function nextCronSlotAfter(
  schedule: CronSchedule,
  timeZone: string,
  after: number,
): number | undefined {
  const job = jobFor(schedule.pattern, timeZone);
  let cursor = new Date(after);
  for (;;) {
    const next = job.nextRun(cursor);
    if (next === null) return undefined;
    if (!isRepeatedWallTime(next.getTime(), timeZone)) return next.getTime();
    cursor = next;
  }
}

/** The last slot at or before `at` (epoch ms), or undefined when the schedule never fired by then. */
export function latestCronSlotAtOrBefore(
  schedule: CronSchedule,
  timeZone: string,
  at: number,
): number | undefined {
  const job = jobFor(schedule.pattern, timeZone);
  let cursor = new Date(Math.floor(at / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  for (;;) {
    const [previous] = job.previousRuns(1, cursor);
    if (previous === undefined) return undefined;
    if (!isRepeatedWallTime(previous.getTime(), timeZone)) return previous.getTime();
    cursor = previous;
  }
}
