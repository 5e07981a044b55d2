import { describe, expect, it } from 'vitest';
import { peakSlotsPerDay, quotaFitWarning } from '#lib/policy/quota-fit';
import { policyOf } from '#test/support/policy-builders';

const FROM = new Date('2026-03-01T00:00:00Z');
const policy = (policyId: string, schedule: string, cacheName = 'orders') =>
  policyOf({ policyId, cacheName, schedule });

describe('fitting the 24-snapshots-per-cache-per-24-hours quota', () => {
  it('counts an hourly policy at exactly 24 a day, which fits', () => {
    const hourly = policy('hourly', 'cron(0 * * * ? *)');
    expect(peakSlotsPerDay([hourly], FROM)).toBe(24);
    expect(quotaFitWarning(hourly, [], FROM)).toBeUndefined();
  });

  it('warns when an hourly and a daily policy share a cache, naming the schedule and the cache', () => {
    const hourly = policy('hourly', 'cron(0 * * * ? *)');
    const daily = policy('daily', 'cron(30 2 * * ? *)');
    expect(quotaFitWarning(daily, [hourly, daily], FROM)).toMatch(
      /^schedule: with 1 other active policy on cache orders it takes up to 25 snapshots in 24 hours/,
    );
  });

  it('ignores policies on other caches', () => {
    const hourly = policy('hourly', 'cron(0 * * * ? *)', 'billing');
    const daily = policy('daily', 'cron(30 2 * * ? *)');
    expect(quotaFitWarning(daily, [hourly], FROM)).toBeUndefined();
  });

  it('counts a weekly tier only in the window it falls in', () => {
    const everyTwoHours = policy('two-hourly', 'rate(2 hours)');
    const weekly = Array.from({ length: 13 }, (_, i) => policy(`weekly-${i}`, `cron(${i * 4} 3 ? * MON *)`));
    expect(peakSlotsPerDay([everyTwoHours, ...weekly], FROM)).toBe(25);
    expect(peakSlotsPerDay([everyTwoHours, ...weekly.slice(1)], FROM)).toBe(24);
  });
});
