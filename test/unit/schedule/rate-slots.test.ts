import { describe, expect, it } from 'vitest';
import { latestSlotAtOrBefore, nextSlotAfter, parseSchedule } from '#lib/schedule/schedule';
import { firstSlots } from './slot-helpers';

describe('rate slots', () => {
  it('anchors hour rates at multiples of the period since the Unix epoch in UTC, whatever the zone', () => {
    const expected = ['2026-01-01T06:00:00.000Z', '2026-01-01T12:00:00.000Z'];

    expect(firstSlots('rate(6 hours)', 'UTC', '2026-01-01T05:10:00Z', 2)).toEqual(expected);
    expect(firstSlots('rate(6 hours)', 'Asia/Kolkata', '2026-01-01T05:10:00Z', 2)).toEqual(expected);
  });

  it('keeps hour rates that do not divide a day on the epoch grid', () => {
    // 2026-01-01T00:00Z is 20454 days = 490896 hours after the epoch; 490896 = 5 * 98179 + 1.
    expect(firstSlots('rate(5 hours)', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T04:00:00.000Z',
      '2026-01-01T09:00:00.000Z',
    ]);
  });

  it('yields the same slots whatever instant the search starts from', () => {
    const rate = parseSchedule('rate(5 hours)');
    const a = nextSlotAfter(rate, 'UTC', new Date('2026-01-01T04:00:00Z'));
    const b = nextSlotAfter(rate, 'UTC', new Date('2026-01-01T08:59:59Z'));

    expect(a?.toISOString()).toBe('2026-01-01T09:00:00.000Z');
    expect(b?.toISOString()).toBe('2026-01-01T09:00:00.000Z');
    expect(latestSlotAtOrBefore(rate, 'UTC', new Date('2026-01-01T08:59:59Z'))?.toISOString()).toBe(
      '2026-01-01T04:00:00.000Z',
    );
  });

  it('fires day rates at local midnight of the policy time zone, across DST', () => {
    expect(firstSlots('rate(1 day)', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
  });

  it('anchors multi-day rates on local dates whose day number since 1970-01-01 is a multiple of N', () => {
    // 2026-01-01 is day 20454 (even): rate(2 days) fires on it; day 20456 is 2026-01-03.
    expect(firstSlots('rate(2 days)', 'UTC', '2025-12-31T12:00:00Z', 2)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
    expect(
      latestSlotAtOrBefore(
        parseSchedule('rate(2 days)'),
        'UTC',
        new Date('2026-01-02T23:59:00Z'),
      )?.toISOString(),
    ).toBe('2026-01-01T00:00:00.000Z');
  });

  it('fires a day rate whose midnight is lost to DST at the first instant after the gap', () => {
    // America/Santiago springs forward at 2026-09-06 00:00 (-04) to 01:00 (-03) = 04:00Z.
    expect(firstSlots('rate(1 day)', 'America/Santiago', '2026-09-05T12:00:00Z', 2)).toEqual([
      '2026-09-06T04:00:00.000Z',
      '2026-09-07T03:00:00.000Z',
    ]);
  });

  it('parses minute rates and steps them on the epoch grid', () => {
    expect(firstSlots('rate(90 minutes)', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T01:30:00.000Z',
      '2026-01-01T03:00:00.000Z',
    ]);
  });
});
