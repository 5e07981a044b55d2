import { describe, expect, it } from 'vitest';
import { validatePolicy } from '#lib/policy/parse-policy';

const record = (policyId: string, schedule: unknown, timezone = 'UTC') => ({
  policyId,
  cacheName: 'orders',
  schedule,
  timezone,
});

describe('remembering schedule verdicts', () => {
  it('reports the same broken schedule rule on every record that has it, not only the first', () => {
    for (const id of ['first', 'second', 'third']) {
      const result = validatePolicy(record(id, 'cron(0,30 * * * ? *)'));
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.issues.map((issue) => issue.attribute)).toEqual(['schedule']);
    }
  });

  it('judges the same expression in another time zone afresh', () => {
    const utc = validatePolicy(record('utc', 'cron(30 * * * ? *)'));
    const lordHowe = validatePolicy(record('lord-howe', 'cron(30 * * * ? *)', 'Australia/Lord_Howe'));
    expect(utc.ok).toBe(true);
    expect(lordHowe.ok).toBe(false);
  });

  it('still reports a schedule that is not a string', () => {
    const result = validatePolicy(record('numeric', 5));
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/^must be a string/);
  });
});
