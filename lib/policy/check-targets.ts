import * as z from 'zod';
import type { PolicyIssue } from '#lib/errors';
import { MAX_SNAPSHOT_NAME_LENGTH } from '#lib/naming/snapshot-name';
import { checkWithSchema, describeType, mustBe, quote } from './attribute-checks';
import { MAX_TAG_VALUE_LENGTH, TAG_KEY_RULES } from './check-tags';
import { CACHE_ENGINES, type TargetSelector } from './types';

/**
 * Most globs in `names` or `excludeNames`, and most tags in `tags` or `excludeTags`. They keep a selector
 * small enough that sync's conditional write compares it member by member (lib/adapters/dynamodb/
 * operator-condition.ts) within DynamoDB's 4 KB expression limit; a longer list is better written as a tag.
 */
export const MAX_SELECTOR_GLOBS = 10;
export const MAX_SELECTOR_TAGS = 10;

/**
 * Why `glob` can never match a serverless cache name (lowercase letters, digits and single hyphens,
 * starting with a letter, at most 255 characters), or undefined when it can. Only `*` (any run of
 * characters, none included) and `?` (one character) are wildcards.
 */
export function globProblem(glob: string): string | undefined {
  if (glob.length === 0) return 'must not be empty';
  if (glob.length > MAX_SNAPSHOT_NAME_LENGTH) return `must be at most ${MAX_SNAPSHOT_NAME_LENGTH} characters`;
  const other = /[^a-z0-9*?-]/.exec(glob);
  if (other !== null) {
    return `may contain only lowercase letters, digits, hyphens and the wildcards * and ? (found ${quote(other[0])})`;
  }
  if (/^[0-9-]/.test(glob)) return 'can never match: cache names start with a letter';
  if (glob.endsWith('-')) return 'can never match: cache names do not end with a hyphen';
  if (glob.includes('--')) return 'can never match: cache names have no two hyphens in a row';
  return undefined;
}

/** Refuses a list or map with more than `max` members before its members are checked one by one. */
function atMost<T extends z.ZodType>(max: number, what: string, schema: T) {
  const size = (value: unknown) =>
    Array.isArray(value) ? value.length : typeof value === 'object' && value ? Object.keys(value).length : 0;
  return z
    .unknown()
    .refine((value) => size(value) <= max, {
      error: (issue) => `at most ${max} ${what} are allowed (found ${size(issue.input)})`,
    })
    .pipe(schema);
}

const glob = z.string(mustBe('a glob such as "orders-*"')).superRefine((text, context) => {
  const problem = globProblem(text);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

const globs = (min: number) =>
  atMost(
    MAX_SELECTOR_GLOBS,
    'globs',
    z
      .array(glob, mustBe('a list of globs such as ["orders-*"]'))
      .min(min, { error: 'must list at least one glob' }),
  );

const tagKey = z.string().superRefine((key, context) => {
  for (const rule of TAG_KEY_RULES) {
    if (rule.breaks(key, undefined)) context.addIssue({ code: 'custom', message: rule.message });
  }
});

const tagValue = z
  .string(mustBe('a string (the value "*" matches any value)'))
  .max(MAX_TAG_VALUE_LENGTH, { error: `must be at most ${MAX_TAG_VALUE_LENGTH} characters` });

const tagMap = (min: number) =>
  atMost(
    MAX_SELECTOR_TAGS,
    'tags',
    z
      .record(tagKey, tagValue, mustBe('a map of tag key to value such as { team: "checkout" }'))
      .refine((tags) => Object.keys(tags).length >= min, { error: 'must list at least one tag' }),
  );

const engine = z.enum(CACHE_ENGINES, {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `must be one of ${CACHE_ENGINES.join(', ')} (found ${quote(issue.input)})`
      : `must be one of ${CACHE_ENGINES.join(', ')} (found ${describeType(issue.input)})`,
});

const selectorSchema = z.strictObject(
  {
    tags: tagMap(1).optional(),
    names: globs(1).optional(),
    engines: atMost(
      CACHE_ENGINES.length,
      'engines',
      z
        .array(engine, mustBe('a list such as ["valkey", "redis"]'))
        .min(1, { error: 'must list at least one engine' }),
    ).optional(),
    excludeTags: tagMap(0).optional(),
    excludeNames: globs(0).optional(),
  },
  mustBe('a map such as { tags: { tier: "gold" } }'),
);

/**
 * Checks the `targets` selector (docs/architecture.md, "Targets"): `tags`, `names`, `engines`,
 * `excludeTags`, `excludeNames` and nothing else; at least one of `tags` and `names`; globs that can match
 * a cache name; tag keys as for `tags`, string values. Every issue names the member exactly
 * (`targets.names[1]`, `targets.tags.team`). Returns the selector with absent members defaulted, or
 * undefined when absent or broken (the issues tell them apart).
 */
export function checkTargets(value: unknown, issues: PolicyIssue[]): TargetSelector | undefined {
  if (value === undefined) return undefined;
  const parsed = checkWithSchema(issues, 'targets', selectorSchema, value);
  if (parsed === undefined) return undefined;
  if (parsed.tags === undefined && parsed.names === undefined) {
    issues.push({ attribute: 'targets', message: 'needs tags or names (or both) to choose caches by' });
    return undefined;
  }
  return Object.freeze({
    tags: Object.freeze({ ...parsed.tags }),
    names: parsed.names && Object.freeze([...parsed.names]),
    engines: parsed.engines && Object.freeze([...new Set(parsed.engines)]),
    excludeTags: Object.freeze({ ...parsed.excludeTags }),
    excludeNames: Object.freeze([...(parsed.excludeNames ?? [])]),
  });
}

/**
 * A policy covers one cache (`cacheName`) or the caches a selector chooses (`targets`): exactly one of
 * them. Both is an issue on `cacheName` naming both; neither, `cacheName: is required (or targets …)`.
 */
export function checkOneOfCacheNameAndTargets(
  cacheName: unknown,
  targets: unknown,
  issues: PolicyIssue[],
): void {
  if (cacheName !== undefined && targets !== undefined) {
    issues.push({
      attribute: 'cacheName',
      message: 'must not be set together with targets: a policy has exactly one of cacheName and targets',
    });
  } else if (cacheName === undefined && targets === undefined) {
    issues.push({
      attribute: 'cacheName',
      message: 'is required, or targets instead: a policy has exactly one of cacheName and targets',
    });
  }
}
