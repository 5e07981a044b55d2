import { describe, expect, it } from 'vitest';
import { PolicyValidationError } from '#lib/errors';
import { parseSchedule } from '#lib/schedule/schedule';

function syntaxError(expression: string): PolicyValidationError {
  try {
    parseSchedule(expression);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${expression} to be refused`);
}

describe('parseSchedule', () => {
  it('parses a cron expression into an expanded 7-part croner pattern', () => {
    const schedule = parseSchedule('cron(0/20 9-10 ? JAN,MAR MON-FRI 2026-2027)');

    expect(schedule).toEqual({
      kind: 'cron',
      expression: 'cron(0/20 9-10 ? JAN,MAR MON-FRI 2026-2027)',
      pattern: '0 0,20,40 9,10 * 1,3 2,3,4,5,6 2026,2027',
    });
  });

  it('maps the year wildcard to the EventBridge range 1970-2199', () => {
    const schedule = parseSchedule('cron(0 12 * * ? *)');

    expect(schedule.kind === 'cron' && schedule.pattern.endsWith(' 1970-2199')).toBe(true);
  });

  it('ignores surrounding whitespace and repeated spaces between fields', () => {
    expect(parseSchedule('  cron(0  12 *  * ? *) ').expression).toBe('cron(0  12 *  * ? *)');
  });

  it('parses rate expressions with singular and plural units', () => {
    expect(parseSchedule('rate(1 hour)')).toMatchObject({ kind: 'rate', value: 1, unit: 'hours' });
    expect(parseSchedule('rate(6 hours)')).toMatchObject({ kind: 'rate', value: 6, unit: 'hours' });
    expect(parseSchedule('rate(1 day)')).toMatchObject({ kind: 'rate', value: 1, unit: 'days' });
    expect(parseSchedule('rate(3 days)')).toMatchObject({ kind: 'rate', value: 3, unit: 'days' });
    expect(parseSchedule('rate(30 minutes)')).toMatchObject({ kind: 'rate', value: 30, unit: 'minutes' });
  });

  it.each([
    ['at(2026-01-01T00:00:00)', 'must be cron('],
    ['cron 0 12 * * ? *', 'must be cron('],
    ['', 'must be cron('],
    ['cron()', 'found 0'],
    ['cron(0 12 * * ?)', 'needs 6 fields'],
    ['cron(0 12 * * ? * *)', 'found 7'],
    ['cron(0 12 * * * *)', 'one of day-of-month and day-of-week must be ?'],
    ['cron(0 12 1 * MON *)', 'one of day-of-month and day-of-week must be ?'],
    ['cron(0 12 ? * ? *)', 'cannot both be ?'],
    ['cron(60 12 * * ? *)', 'minutes: 60 is outside 0-59'],
    ['cron(0 24 * * ? *)', 'hours: 24 is outside 0-23'],
    ['cron(0 12 0 * ? *)', 'day-of-month: 0 is outside 1-31'],
    ['cron(0 12 * 13 ? *)', 'month: 13 is outside 1-12'],
    ['cron(0 12 ? * 0 *)', 'day-of-week: 0 is outside 1-7'],
    ['cron(0 12 ? * 8 *)', 'day-of-week: 8 is outside 1-7'],
    ['cron(0 12 * * ? 1969)', 'year: 1969 is outside 1970-2199'],
    ['cron(0 12 * * ? 2200)', 'year: 2200 is outside 1970-2199'],
    ['cron(? 12 * * ? *)', "minutes: '?' is only allowed"],
    ['cron(x 12 * * ? *)', "minutes: 'x' is not a value"],
    ['cron(0 12 * FOO ? *)', "month: 'FOO' is not a value"],
    ['cron(0 12 ? * FUN *)', "day-of-week: 'FUN' is not a value"],
    ['cron(50-10 12 * * ? *)', "range '50-10' runs backwards"],
    ['cron(*/0 12 * * ? *)', "step '0' must be a positive number"],
    ['cron(1-2-3 12 * * ? *)', "'1-2-3' is not a range"],
    ['cron(0/5/5 12 * * ? *)', "'0/5/5' is not valid"],
    ['cron(0, 12 * * ? *)', "minutes: '' is not valid"],
    ['cron(0,,5 12 * * ? *)', "'' is not valid"],
    ['cron(0 12 L-2 * ? *)', "'L-2' is not valid"],
    ['cron(0 12 1,L * ? *)', "'1,L' is not valid"],
    ['cron(0 12 32W * ? *)', 'day-of-month: 32 is outside 1-31'],
    ['cron(0 12 ? * 6#6 *)', "'6#6' needs an occurrence 1-5"],
    ['cron(0 12 ? * 2#1,3 *)', "'2#1,3' is not valid"],
    ['cron(0 12 ? * 8L *)', 'day-of-week: 8 is outside 1-7'],
    ['rate(1 hours)', 'must be singular for 1'],
    ['rate(2 hour)', 'must be plural for 2'],
    ['rate(0 hours)', 'rate value must be 1-'],
    ['rate(2 weeks)', 'rate must be rate(N minutes|hours|days)'],
    ['rate(-1 hours)', 'rate must be rate('],
    ['rate(1.5 hours)', 'rate must be rate('],
    ['rate(hours)', 'rate must be rate('],
  ])('refuses %j naming the schedule attribute and the rule', (expression, fragment) => {
    const error = syntaxError(expression);

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.attribute).toBe('schedule');
    expect(error.issues[0]?.message).toContain(fragment);
  });

  it('refuses an expression longer than 256 characters before parsing it', () => {
    const error = syntaxError(`cron(${'0,'.repeat(200)}0 12 * * ? *)`);

    expect(error.issues[0]?.message).toBe('is longer than 256 characters');
  });
});
