import { Cron } from 'croner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { latestSlotAtOrBefore, nextSlotAfter, parseSchedule, slotsBetween } from '#lib/schedule/schedule';
import { firstSlots } from './slot-helpers';

const JAN_1 = '2026-01-01T00:00:00Z';

describe('cron slots', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('fires at the minute and hour given, every day, in UTC', () => {
    expect(firstSlots('cron(15 6 * * ? *)', 'UTC', JAN_1, 2)).toEqual([
      '2026-01-01T06:15:00.000Z',
      '2026-01-02T06:15:00.000Z',
    ]);
  });

  it('expands lists, ranges and steps in minutes and hours', () => {
    expect(firstSlots('cron(0/20 8-9 * * ? *)', 'UTC', JAN_1, 7)).toEqual([
      '2026-01-01T08:00:00.000Z',
      '2026-01-01T08:20:00.000Z',
      '2026-01-01T08:40:00.000Z',
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T09:20:00.000Z',
      '2026-01-01T09:40:00.000Z',
      '2026-01-02T08:00:00.000Z',
    ]);
    expect(firstSlots('cron(5 */8 * * ? *)', 'UTC', JAN_1, 3)).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T08:05:00.000Z',
      '2026-01-01T16:05:00.000Z',
    ]);
    expect(firstSlots('cron(0 1,13 * * ? *)', 'UTC', JAN_1, 2)).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T13:00:00.000Z',
    ]);
  });

  it('numbers days of the week 1-7 from SUNDAY, as EventBridge does', () => {
    expect(firstSlots('cron(0 12 ? * 1 *)', 'UTC', JAN_1, 1)).toEqual(['2026-01-04T12:00:00.000Z']);
    expect(firstSlots('cron(0 12 ? * 7 *)', 'UTC', JAN_1, 1)).toEqual(['2026-01-03T12:00:00.000Z']);
    expect(firstSlots('cron(0 12 ? * 2 *)', 'UTC', JAN_1, 1)).toEqual(['2026-01-05T12:00:00.000Z']);
  });

  it('accepts day and month names in any case, alone and in ranges', () => {
    expect(firstSlots('cron(0 12 ? * mon-WED *)', 'UTC', JAN_1, 3)).toEqual([
      '2026-01-05T12:00:00.000Z',
      '2026-01-06T12:00:00.000Z',
      '2026-01-07T12:00:00.000Z',
    ]);
    expect(firstSlots('cron(0 12 1 MAR-APR,Dec ? *)', 'UTC', JAN_1, 3)).toEqual([
      '2026-03-01T12:00:00.000Z',
      '2026-04-01T12:00:00.000Z',
      '2026-12-01T12:00:00.000Z',
    ]);
  });

  it('fires on the last day of the month with L in day-of-month', () => {
    expect(firstSlots('cron(0 23 L * ? *)', 'UTC', JAN_1, 3)).toEqual([
      '2026-01-31T23:00:00.000Z',
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T23:00:00.000Z',
    ]);
    expect(firstSlots('cron(0 0 L 2 ? *)', 'UTC', '2028-01-01T00:00:00Z', 1)).toEqual([
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('fires on the weekday nearest a day with W, without leaving the month', () => {
    // 2026-02-15 is a Sunday: Monday the 16th. 2026-08-01 is a Saturday: Monday the 3rd, not July 31st.
    expect(firstSlots('cron(0 9 15W 2 ? *)', 'UTC', JAN_1, 1)).toEqual(['2026-02-16T09:00:00.000Z']);
    expect(firstSlots('cron(0 9 1W 8 ? *)', 'UTC', JAN_1, 1)).toEqual(['2026-08-03T09:00:00.000Z']);
    expect(firstSlots('cron(0 9 15W 1 ? *)', 'UTC', JAN_1, 1)).toEqual(['2026-01-15T09:00:00.000Z']);
  });

  it('fires on the last weekday of the month with LW', () => {
    // 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
    expect(firstSlots('cron(0 9 LW * ? *)', 'UTC', JAN_1, 5)).toEqual([
      '2026-01-30T09:00:00.000Z',
      '2026-02-27T09:00:00.000Z',
      '2026-03-31T09:00:00.000Z',
      '2026-04-30T09:00:00.000Z',
      '2026-05-29T09:00:00.000Z',
    ]);
  });

  it('fires on the last given weekday of the month with nL in day-of-week', () => {
    expect(firstSlots('cron(0 12 ? * 5L *)', 'UTC', JAN_1, 2)).toEqual([
      '2026-01-29T12:00:00.000Z',
      '2026-02-26T12:00:00.000Z',
    ]);
    expect(firstSlots('cron(0 12 ? * FRIL *)', 'UTC', JAN_1, 1)).toEqual(['2026-01-30T12:00:00.000Z']);
  });

  it('treats L alone in day-of-week as the last day of the week, Saturday', () => {
    expect(firstSlots('cron(0 12 ? * L *)', 'UTC', JAN_1, 1)).toEqual(['2026-01-03T12:00:00.000Z']);
  });

  it('fires on the nth weekday of the month with #, skipping months without one', () => {
    expect(firstSlots('cron(0 12 ? * 6#3 *)', 'UTC', JAN_1, 2)).toEqual([
      '2026-01-16T12:00:00.000Z',
      '2026-02-20T12:00:00.000Z',
    ]);
    expect(firstSlots('cron(0 12 ? * MON#5 *)', 'UTC', JAN_1, 2)).toEqual([
      '2026-03-30T12:00:00.000Z',
      '2026-06-29T12:00:00.000Z',
    ]);
  });

  it('restricts years with values, ranges, lists and steps', () => {
    expect(firstSlots('cron(0 0 1 1 ? 2030)', 'UTC', JAN_1, 2)).toEqual(['2030-01-01T00:00:00.000Z']);
    expect(firstSlots('cron(0 0 1 1 ? 2027-2028,2031)', 'UTC', JAN_1, 4)).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2028-01-01T00:00:00.000Z',
      '2031-01-01T00:00:00.000Z',
    ]);
    expect(firstSlots('cron(0 0 1 1 ? 2026/5)', 'UTC', JAN_1, 2)).toEqual([
      '2031-01-01T00:00:00.000Z',
      '2036-01-01T00:00:00.000Z',
    ]);
  });

  it('has no slot after 2199 and none on a date that does not exist', () => {
    const yearly = parseSchedule('cron(0 0 1 1 ? *)');

    expect(nextSlotAfter(yearly, 'UTC', new Date('2199-01-01T00:00:00Z'))).toBeUndefined();
    expect(nextSlotAfter(parseSchedule('cron(0 0 30 2 ? *)'), 'UTC', new Date(JAN_1))).toBeUndefined();
  });

  it('returns the next slot strictly after the instant given, even a millisecond before it', () => {
    const daily = parseSchedule('cron(0 8 * * ? *)');

    expect(nextSlotAfter(daily, 'UTC', new Date('2026-01-01T08:00:00.000Z'))?.toISOString()).toBe(
      '2026-01-02T08:00:00.000Z',
    );
    expect(nextSlotAfter(daily, 'UTC', new Date('2026-01-01T07:59:59.999Z'))?.toISOString()).toBe(
      '2026-01-01T08:00:00.000Z',
    );
  });

  it('returns the latest slot at or before the instant given', () => {
    const daily = parseSchedule('cron(0 8 * * ? *)');

    expect(latestSlotAtOrBefore(daily, 'UTC', new Date('2026-01-01T08:00:00.000Z'))?.toISOString()).toBe(
      '2026-01-01T08:00:00.000Z',
    );
    expect(latestSlotAtOrBefore(daily, 'UTC', new Date('2026-01-01T07:59:59.999Z'))?.toISOString()).toBe(
      '2025-12-31T08:00:00.000Z',
    );
    expect(
      latestSlotAtOrBefore(parseSchedule('cron(0 0 1 1 ? 2030)'), 'UTC', new Date(JAN_1)),
    ).toBeUndefined();
  });

  it('finds a far-away latest slot of a yearly schedule with one croner query, not a walk over the years', () => {
    const queries = vi.spyOn(Cron.prototype, 'previousRuns');

    const latest = latestSlotAtOrBefore(
      parseSchedule('cron(0 0 1 1 ? 1975)'),
      'Europe/Berlin',
      new Date('2199-06-01T00:00:00Z'),
    );
    const yearly = latestSlotAtOrBefore(
      parseSchedule('cron(0 0 1 1 ? *)'),
      'UTC',
      new Date('2199-06-01T00:00:00Z'),
    );

    expect(latest?.toISOString()).toBe('1974-12-31T23:00:00.000Z');
    expect(yearly?.toISOString()).toBe('2199-01-01T00:00:00.000Z');
    expect(queries).toHaveBeenCalledTimes(2);
  });

  it('lists slots between two instants, excluding the first and including the last, up to a limit', () => {
    const hourly = parseSchedule('cron(0 * * * ? *)');
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-01-01T03:00:00Z');

    expect(slotsBetween(hourly, 'UTC', from, to, 10).map((slot) => slot.toISOString())).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      '2026-01-01T03:00:00.000Z',
    ]);
    expect(slotsBetween(hourly, 'UTC', from, to, 2)).toHaveLength(2);
    expect(slotsBetween(hourly, 'UTC', to, from, 10)).toEqual([]);
  });

  it('refuses an unknown time zone and an invalid date', () => {
    const daily = parseSchedule('cron(0 8 * * ? *)');

    expect(() => nextSlotAfter(daily, 'Mars/Olympus', new Date(JAN_1))).toThrow(/timezone: 'Mars\/Olympus'/);
    expect(() => nextSlotAfter(daily, 'UTC', new Date(Number.NaN))).toThrow(RangeError);
  });
});
