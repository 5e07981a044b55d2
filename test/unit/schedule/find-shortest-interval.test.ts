import { Cron } from 'croner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import { findShortestInterval } from '#lib/schedule/find-shortest-interval';
import { parseSchedule } from '#lib/schedule/schedule';

function shortestMinutes(expression: string, timeZone = 'UTC'): number | undefined {
  const shortest = findShortestInterval(parseSchedule(expression), timeZone);
  return shortest === undefined ? undefined : shortest.intervalMs / MINUTE_MS;
}

describe('findShortestInterval', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['cron(0,30 * * * ? *)', 30],
    ['cron(*/30 * * * ? *)', 30],
    ['cron(* * * * ? *)', 1],
    ['cron(0/15 9 * * ? *)', 15],
    ['cron(0 * * * ? *)', 60],
    ['cron(0 */2 * * ? *)', 120],
    ['cron(0 1,3 * * ? *)', 120],
    ['rate(1 hour)', 60],
    ['rate(30 minutes)', 30],
    ['rate(3 hours)', 180],
  ])('measures %s as %i minutes in UTC', (expression, minutes) => {
    expect(shortestMinutes(expression)).toBe(minutes);
  });

  it('finds the gap that crosses midnight', () => {
    expect(shortestMinutes('cron(30 0,23 * * ? *)')).toBe(60);
  });

  it('keeps an hourly schedule at one hour or more through both DST changes in New York', () => {
    expect(shortestMinutes('cron(0 * * * ? *)', 'America/New_York')).toBe(60);
    expect(shortestMinutes('cron(30 * * * ? *)', 'America/New_York')).toBe(60);
  });

  it('sees that a daily rate is 23 hours long on the day clocks spring forward', () => {
    const shortest = findShortestInterval(parseSchedule('rate(1 day)'), 'Europe/Berlin');

    expect(shortest?.intervalMs).toBe(23 * HOUR_MS);
    expect(shortest?.aroundOffsetChange).toBe(true);
    expect(shortest?.at.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('sees the 30-minute gap that the Lord Howe DST change puts into an hourly schedule', () => {
    const shortest = findShortestInterval(parseSchedule('cron(30 * * * ? *)'), 'Australia/Lord_Howe');

    expect(shortest?.intervalMs).toBe(30 * MINUTE_MS);
    expect(shortest?.aroundOffsetChange).toBe(true);
    expect(shortest?.at.toISOString()).toBe('2026-10-03T15:30:00.000Z');
  });

  it('measures a yearly schedule as a year and one that fires once as nothing', () => {
    expect(shortestMinutes('cron(0 0 1 1 ? *)')).toBe(365 * 24 * 60);
    expect(shortestMinutes('cron(0 0 1 1 ? 2030)')).toBeUndefined();
  });

  it('looks at a few days around each DST change of an hourly schedule, not at the whole year', () => {
    const queries = vi.spyOn(Cron.prototype, 'nextRun');

    const shortest = findShortestInterval(parseSchedule('cron(0 * * * ? *)'), 'America/New_York');

    expect(shortest?.intervalMs).toBe(HOUR_MS);
    // The first 3 days and 4 days around each of the two changes: about 11 days of hourly slots (264).
    expect(queries.mock.calls.length).toBeLessThan(11 * 24 + 24);
  });
});
