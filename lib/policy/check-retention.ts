import * as z from 'zod';
import type { PolicyIssue } from '#lib/errors';
import { checkWithSchema, mustBe } from './attribute-checks';
import type { RetentionRule } from './types';

export const MAX_RETENTION_COUNT = 1000;
export const MAX_RETENTION_AGE_DAYS = 3650;
export const DEFAULT_MIN_COUNT = 1;

const count = (max: number) =>
  z
    .number(mustBe('a number'))
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` });

const retentionSchema = z.strictObject(
  {
    maxCount: count(MAX_RETENTION_COUNT).optional(),
    maxAgeDays: count(MAX_RETENTION_AGE_DAYS).optional(),
    minCount: count(MAX_RETENTION_COUNT).optional(),
  },
  mustBe('a map such as { maxCount: 7 }'),
);

/**
 * Checks the optional `retention` map: `maxCount` 1..1000, `maxAgeDays` 1..3650, `minCount` 1..1000
 * (default 1, never more than `maxCount`), at least one of `maxCount` and `maxAgeDays`, nothing else.
 * Returns undefined both when absent and when broken (the issues tell them apart). `attribute` names the
 * map in the issues: `retention`, or `export.retention` for the same rule on exported objects.
 */
export function checkRetention(
  value: unknown,
  issues: PolicyIssue[],
  attribute = 'retention',
): RetentionRule | undefined {
  if (value === undefined) return undefined;
  const parsed = checkWithSchema(issues, attribute, retentionSchema, value);
  if (parsed === undefined) return undefined;
  const before = issues.length;
  if (parsed.maxCount === undefined && parsed.maxAgeDays === undefined) {
    issues.push({ attribute, message: 'needs maxCount or maxAgeDays (or both)' });
  }
  const minCount = parsed.minCount ?? DEFAULT_MIN_COUNT;
  if (parsed.maxCount !== undefined && minCount > parsed.maxCount) {
    issues.push({
      attribute: `${attribute}.minCount`,
      message: `must not be more than maxCount (${minCount} > ${parsed.maxCount})`,
    });
  }
  if (issues.length > before) return undefined;
  return Object.freeze({ maxCount: parsed.maxCount, maxAgeDays: parsed.maxAgeDays, minCount });
}
