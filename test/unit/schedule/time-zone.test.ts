import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '#lib/clock';
import { instantOfWallTime, isRepeatedWallTime, isValidTimeZone, offsetMsAt } from '#lib/schedule/time-zone';

describe('time zones', () => {
  it.each(['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'accepts %s',
    (name) => {
      expect(isValidTimeZone(name)).toBe(true);
    },
  );

  it.each(['', 'Mars/Olympus', '+01:00', 'Europe/Berlin ', 'x'.repeat(65), 'Europe/../Berlin', '🕐'])(
    'refuses %j',
    (name) => {
      expect(isValidTimeZone(name)).toBe(false);
    },
  );

  it('reads the UTC offset of a zone at an instant', () => {
    expect(offsetMsAt(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(HOUR_MS);
    expect(offsetMsAt(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR_MS);
    expect(offsetMsAt(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR_MS);
  });

  it('resolves a repeated wall time to its first occurrence and a missing one to the end of the gap', () => {
    expect(new Date(instantOfWallTime(Date.UTC(2026, 10, 1, 1, 30), 'America/New_York')).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(new Date(instantOfWallTime(Date.UTC(2026, 2, 8, 2, 30), 'America/New_York')).toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
  });

  it('tells the second pass through a fall-back hour from the first', () => {
    expect(isRepeatedWallTime(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York')).toBe(false);
    expect(isRepeatedWallTime(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toBe(true);
    expect(isRepeatedWallTime(Date.parse('2026-11-01T07:30:00Z'), 'America/New_York')).toBe(false);
  });
});
