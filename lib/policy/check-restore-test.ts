import * as z from 'zod';
import type { PolicyIssue } from '#lib/errors';
import { checkWithSchema, mustBe } from './attribute-checks';
import { checkSchedule, checkStartWindow, RESTORE_TEST_SCHEDULE_RULE } from './check-schedule';
import type { RestoreTestRule } from './types';

/** docs/architecture.md, "Restore tests": the restored cache must be available within this, by default. */
export const DEFAULT_RESTORE_TEST_MAX_MINUTES = 60;
/**
 * A serverless cache takes minutes to create and a restore of a large snapshot longer; under 10 minutes a
 * healthy restore would be judged a failure. 24 hours bounds what a stuck scratch cache can cost (it is
 * billed while it exists) and is the longest a daily test may run before the next one.
 */
export const MIN_RESTORE_TEST_MAX_MINUTES = 10;
export const MAX_RESTORE_TEST_MAX_MINUTES = 1440;
/** The overdue alarm fires once no restore test of a target was VERIFIED for this many days, by default. */
export const DEFAULT_RESTORE_TEST_ALARM_AFTER_DAYS = 8;
/** Up to 400 days, so a yearly test with its slack can be watched too. */
export const MAX_RESTORE_TEST_ALARM_AFTER_DAYS = 400;

const wholeNumber = (min: number, max: number, unit: string) =>
  z
    .number(mustBe('a number'))
    .int({ error: `must be a whole number of ${unit}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const restoreTestSchema = z.strictObject(
  {
    schedule: z.unknown().optional(),
    maxMinutes: wholeNumber(MIN_RESTORE_TEST_MAX_MINUTES, MAX_RESTORE_TEST_MAX_MINUTES, 'minutes').optional(),
    alarmAfterDays: wholeNumber(1, MAX_RESTORE_TEST_ALARM_AFTER_DAYS, 'days').optional(),
  },
  mustBe("a map such as { schedule: 'cron(0 4 ? * SUN *)' }"),
);

/**
 * Checks the optional `restoreTest` map (docs/architecture.md, "Restore tests"): `schedule` required, a
 * cron or rate in the policy's `timeZone` firing at most once a day (RESTORE_TEST_SCHEDULE_RULE);
 * `maxMinutes` 10..1440 (default 60) and no longer than the shortest time between two tests, so one
 * test's scratch cache is gone before the next may start; `alarmAfterDays` 1..400 (default 8); nothing
 * else. Every issue names the member (`restoreTest.schedule: ...`). Returns undefined both when absent and
 * when broken (the issues tell them apart).
 */
export function checkRestoreTest(
  value: unknown,
  timeZone: string,
  issues: PolicyIssue[],
): RestoreTestRule | undefined {
  if (value === undefined) return undefined;
  const parsed = checkWithSchema(issues, 'restoreTest', restoreTestSchema, value);
  if (parsed === undefined) return undefined;
  const before = issues.length;
  const schedule = checkSchedule(parsed.schedule, timeZone, issues, RESTORE_TEST_SCHEDULE_RULE);
  const maxMinutes = parsed.maxMinutes ?? DEFAULT_RESTORE_TEST_MAX_MINUTES;
  if (schedule !== undefined) {
    checkStartWindow(maxMinutes, schedule, issues, 'restoreTest.maxMinutes');
  }
  if (schedule === undefined || issues.length > before) return undefined;
  return Object.freeze({
    schedule: schedule.schedule,
    maxMinutes,
    alarmAfterDays: parsed.alarmAfterDays ?? DEFAULT_RESTORE_TEST_ALARM_AFTER_DAYS,
  });
}
