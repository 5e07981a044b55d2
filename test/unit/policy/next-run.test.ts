import { describe, expect, it } from 'vitest';
import { nextRunAfter } from '#lib/policy/next-run';
import { parsePolicy } from '#lib/policy/parse-policy';

describe('nextRunAfter', () => {
  it('returns the next slot of the policy schedule in its time zone', () => {
    const policy = parsePolicy({
      policyId: 'nightly',
      cacheName: 'orders',
      schedule: 'cron(0 2 * * ? *)',
      timezone: 'Europe/Berlin',
    });

    expect(nextRunAfter(policy, new Date('2026-07-14T12:00:00Z'))?.toISOString()).toBe(
      '2026-07-15T00:00:00.000Z',
    );
  });

  it('returns undefined when the schedule has no slot left', () => {
    const policy = parsePolicy({ policyId: 'once', cacheName: 'orders', schedule: 'cron(0 0 1 1 ? 2030)' });

    expect(nextRunAfter(policy, new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
  });
});
