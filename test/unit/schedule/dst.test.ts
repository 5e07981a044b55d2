import { describe, expect, it } from 'vitest';
import { latestSlotAtOrBefore, parseSchedule } from '#lib/schedule/schedule';
import { firstSlots } from './slot-helpers';

describe('cron slots across daylight saving time', () => {
  it('fires at 02:00 Berlin time: 01:00Z in winter and 00:00Z in summer', () => {
    expect(firstSlots('cron(0 2 * * ? *)', 'Europe/Berlin', '2026-01-15T00:00:00Z', 1)).toEqual([
      '2026-01-15T01:00:00.000Z',
    ]);
    expect(firstSlots('cron(0 2 * * ? *)', 'Europe/Berlin', '2026-07-14T12:00:00Z', 1)).toEqual([
      '2026-07-15T00:00:00.000Z',
    ]);
  });

  it('fires a daily wall time that occurs twice only once, at its first occurrence (New York, 2026-11-01)', () => {
    expect(firstSlots('cron(30 1 * * ? *)', 'America/New_York', '2026-10-31T12:00:00Z', 3)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
      '2026-11-03T06:30:00.000Z',
    ]);
  });

  it('fires an hourly schedule once per wall hour when clocks fall back, never twice for 01:00', () => {
    // 04:00Z = 00:00 EDT, 05:00Z = 01:00 EDT, (06:00Z = 01:00 EST is skipped), 07:00Z = 02:00 EST.
    expect(firstSlots('cron(0 * * * ? *)', 'America/New_York', '2026-11-01T03:30:00Z', 4)).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('skips the second pass of a repeated hour when looking backwards too', () => {
    const hourly = parseSchedule('cron(0 * * * ? *)');

    const latest = latestSlotAtOrBefore(hourly, 'America/New_York', new Date('2026-11-01T06:59:00Z'));

    expect(latest?.toISOString()).toBe('2026-11-01T05:00:00.000Z');
  });

  it('fires a daily wall time lost to spring-forward at the first instant after the gap', () => {
    // 2026-03-08 02:30 does not exist in New York: clocks go from 02:00 EST to 03:00 EDT (07:00Z).
    expect(firstSlots('cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('finds the shifted spring-forward slot when looking backwards', () => {
    const daily = parseSchedule('cron(30 2 * * ? *)');

    const latest = latestSlotAtOrBefore(daily, 'America/New_York', new Date('2026-03-08T12:00:00Z'));

    expect(latest?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('skips the lost hour for a schedule that fires several times a day, keeping an hour between runs', () => {
    expect(firstSlots('cron(30 * * * ? *)', 'America/New_York', '2026-03-08T05:00:00Z', 3)).toEqual([
      '2026-03-08T05:30:00.000Z',
      '2026-03-08T06:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
    ]);
  });

  it('handles the 30-minute change of Australia/Lord_Howe', () => {
    // 2026-10-04 02:00 (+10:30) jumps to 02:30 (+11:00) = 2026-10-03T15:30Z.
    expect(firstSlots('cron(0 2 * * ? *)', 'Australia/Lord_Howe', '2026-10-02T12:00:00Z', 2)).toEqual([
      '2026-10-02T15:30:00.000Z',
      '2026-10-03T15:30:00.000Z',
    ]);
    // 2026-04-05 02:00 (+11:00) falls back to 01:30 (+10:30): 01:45 happens twice and fires once.
    expect(firstSlots('cron(45 1 * * ? *)', 'Australia/Lord_Howe', '2026-04-04T12:00:00Z', 1)).toEqual([
      '2026-04-04T14:45:00.000Z',
    ]);
  });
});
