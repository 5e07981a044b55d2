import { describe, expect, it } from 'vitest';
import { MAX_QUOTED_LENGTH, quote, shorten } from '#lib/errors';
import { validatePolicy } from '#lib/policy/parse-policy';

const HUGE = 'x'.repeat(100_000);
const VALID = { policyId: 'orders-daily', cacheName: 'orders', schedule: 'rate(1 day)' };

/** A record with one 100 KB value (or name) in every place a reason could quote it. */
const RECORDS: Record<string, Record<string, unknown>> = {
  policyId: { ...VALID, policyId: HUGE },
  cacheName: { ...VALID, cacheName: `A${HUGE}` },
  schedule: { ...VALID, schedule: `cron(${HUGE})` },
  'cron field': { ...VALID, schedule: `cron(0 0 * * ? ${'9'.repeat(240)})` },
  'cron step': { ...VALID, schedule: `cron(0/${'x'.repeat(240)} 0 * * ? *)` },
  timezone: { ...VALID, timezone: HUGE },
  namePrefix: { ...VALID, namePrefix: `a${HUGE}!` },
  kmsKeyId: { ...VALID, kmsKeyId: HUGE },
  'tag key': { ...VALID, tags: { [HUGE]: 'v' } },
  'tag value': { ...VALID, tags: { team: HUGE } },
  'unknown attribute': { ...VALID, [HUGE]: 1 },
  'retention key': { ...VALID, retention: { maxCount: 1, [HUGE]: 1 } },
  enabled: { ...VALID, enabled: HUGE },
  startWindowMinutes: { ...VALID, startWindowMinutes: HUGE },
  retention: { ...VALID, retention: HUGE },
};

describe('reasons quoting an operator value', () => {
  it('cut a value to MAX_QUOTED_LENGTH characters and mark the cut', () => {
    expect(shorten('abc')).toBe('abc');
    expect(shorten(HUGE)).toBe(`${'x'.repeat(MAX_QUOTED_LENGTH)}…`);
    expect(quote(HUGE)).toHaveLength(MAX_QUOTED_LENGTH + 3);
    expect(MAX_QUOTED_LENGTH).toBeLessThanOrEqual(100);
  });

  it.each(Object.keys(RECORDS))('quote at most about 100 characters of a 100 KB %s', (name) => {
    const result = validatePolicy(RECORDS[name] as Record<string, unknown>);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const issue of result.issues) {
      expect(
        `${issue.attribute}: ${issue.message}`.length,
        `${issue.attribute}: ${issue.message}`,
      ).toBeLessThan(200);
    }
  });
});
