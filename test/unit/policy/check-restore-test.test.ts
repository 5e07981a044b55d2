import { describe, expect, it } from 'vitest';
import { parsePolicy, validatePolicy } from '#lib/policy/parse-policy';

const VALID = { policyId: 'orders-hourly', cacheName: 'orders', schedule: 'cron(0 * * * ? *)' };
const WEEKLY = 'cron(0 4 ? * SUN *)';

function issuesOf(restoreTest: unknown, extra: Record<string, unknown> = {}) {
  const result = validatePolicy({ ...VALID, ...extra, restoreTest });
  if (result.ok) throw new Error('expected the record to be refused');
  return result.issues;
}

describe('restoreTest policy attribute', () => {
  it('applies maxMinutes 60 and alarmAfterDays 8 to a weekly test', () => {
    expect(parsePolicy({ ...VALID, restoreTest: { schedule: WEEKLY } }).restoreTest).toEqual({
      schedule: WEEKLY,
      maxMinutes: 60,
      alarmAfterDays: 8,
    });
  });

  it('keeps maxMinutes and alarmAfterDays as written', () => {
    const restoreTest = { schedule: 'rate(1 day)', maxMinutes: 90, alarmAfterDays: 3 };

    expect(parsePolicy({ ...VALID, restoreTest }).restoreTest).toEqual(restoreTest);
  });

  it('leaves restoreTest undefined when the policy has none', () => {
    expect(parsePolicy(VALID).restoreTest).toBeUndefined();
  });

  it('requires a schedule, naming restoreTest.schedule', () => {
    expect(issuesOf({ maxMinutes: 30 })).toEqual([
      { attribute: 'restoreTest.schedule', message: 'is required' },
    ]);
  });

  it('refuses a schedule firing more than once a day', () => {
    expect(issuesOf({ schedule: 'rate(12 hours)' })).toEqual([
      {
        attribute: 'restoreTest.schedule',
        message: 'fires every 720 minutes; at most once per day is allowed',
      },
    ]);
    expect(issuesOf({ schedule: 'cron(0 4,16 * * ? *)' })[0]?.attribute).toBe('restoreTest.schedule');
  });

  it('names restoreTest.schedule for a syntax error', () => {
    const [issue, ...others] = issuesOf({ schedule: 'every sunday' });

    expect(others).toEqual([]);
    expect(issue?.attribute).toBe('restoreTest.schedule');
    expect(issue?.message).toMatch(/^must be cron\(/);
  });

  it("accepts a daily local time in a DST zone, 23 hours apart once a year, in the policy's time zone", () => {
    const policy = parsePolicy({
      ...VALID,
      timezone: 'Europe/Berlin',
      restoreTest: { schedule: 'cron(30 2 * * ? *)' },
    });

    expect(policy.restoreTest?.schedule).toBe('cron(30 2 * * ? *)');
  });

  it('refuses a maxMinutes longer than the shortest time between two tests', () => {
    expect(
      issuesOf({ schedule: 'cron(0 3 * * ? *)', maxMinutes: 1440 }, { timezone: 'America/New_York' }),
    ).toEqual([
      {
        attribute: 'restoreTest.maxMinutes',
        message:
          '1440 is longer than the shortest time between runs (1380 minutes); windows of consecutive slots would overlap',
      },
    ]);
  });

  it.each([
    [{ schedule: WEEKLY, maxMinutes: 9 }, 'restoreTest.maxMinutes', 'must be at least 10'],
    [{ schedule: WEEKLY, maxMinutes: 1441 }, 'restoreTest.maxMinutes', 'must be at most 1440'],
    [{ schedule: WEEKLY, maxMinutes: 30.5 }, 'restoreTest.maxMinutes', 'must be a whole number of minutes'],
    [{ schedule: WEEKLY, alarmAfterDays: 0 }, 'restoreTest.alarmAfterDays', 'must be at least 1'],
    [{ schedule: WEEKLY, alarmAfterDays: 401 }, 'restoreTest.alarmAfterDays', 'must be at most 400'],
    [
      { schedule: WEEKLY, alarmAfterDays: '8' },
      'restoreTest.alarmAfterDays',
      'must be a number (found string)',
    ],
    [{ schedule: 7 }, 'restoreTest.schedule', 'must be a string (found number)'],
    [{ schedule: WEEKLY, cache: 'orders' }, 'restoreTest.cache', 'unknown attribute'],
  ])('refuses %j, naming %s', (restoreTest, attribute, message) => {
    expect(issuesOf(restoreTest)).toEqual([{ attribute, message }]);
  });

  it('refuses a restoreTest that is not a map', () => {
    expect(issuesOf('weekly')).toEqual([
      {
        attribute: 'restoreTest',
        message: "must be a map such as { schedule: 'cron(0 4 ? * SUN *)' } (found string)",
      },
    ]);
  });

  it("keeps the snapshot schedule's own hourly rule apart from the restore test's daily rule", () => {
    const policy = parsePolicy({ ...VALID, schedule: 'rate(1 hour)', restoreTest: { schedule: WEEKLY } });

    expect(policy.schedule).toBe('rate(1 hour)');
    expect(issuesOf({ schedule: 'rate(1 hour)' })[0]?.attribute).toBe('restoreTest.schedule');
  });
});
