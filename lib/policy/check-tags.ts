import { type PolicyIssue, quote } from '#lib/errors';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { describeType, isPlainRecord } from './attribute-checks';

/** Operator tags per snapshot: 50 per resource, less the ones the orchestrator manages and a margin. */
export const MAX_OPERATOR_TAGS = 45;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

const MANAGED_KEYS: ReadonlySet<string> = new Set(Object.values(MANAGED_TAGS));
const MAX_KEYS_QUOTED = 5;

export interface TagRule {
  readonly message: string;
  readonly breaks: (key: string, value: unknown) => boolean;
}

/** The rules of a tag key, shared with the tag maps of a `targets` selector (check-targets.ts). */
export const TAG_KEY_RULES: readonly TagRule[] = [
  {
    message: `keys must be 1-${MAX_TAG_KEY_LENGTH} characters`,
    breaks: (key) => key.length === 0 || key.length > MAX_TAG_KEY_LENGTH,
  },
  { message: 'keys must not start with "aws:"', breaks: (key) => key.toLowerCase().startsWith('aws:') },
  { message: 'keys must not be one the orchestrator sets itself', breaks: (key) => MANAGED_KEYS.has(key) },
  {
    // The AWS SDK for JavaScript drops this map key when it writes the item; the stores refuse it too.
    message: "keys must not be __proto__: DynamoDB's JavaScript SDK would drop it",
    breaks: (key) => key === '__proto__',
  },
];

const TAG_RULES: readonly TagRule[] = [
  ...TAG_KEY_RULES,
  { message: 'values must be strings', breaks: (_key, value) => typeof value !== 'string' },
  {
    message: `values must be at most ${MAX_TAG_VALUE_LENGTH} characters`,
    breaks: (_key, value) => typeof value === 'string' && value.length > MAX_TAG_VALUE_LENGTH,
  },
];

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, MAX_KEYS_QUOTED).map(quote).join(', ');
  return keys.length > MAX_KEYS_QUOTED ? `${shown} and ${keys.length - MAX_KEYS_QUOTED} more` : shown;
}

/**
 * Checks the optional `tags` map (string → string). Each broken rule is one issue naming up to five of the
 * offending keys, so a record with thousands of bad tags still yields a readable reason. Returns the tags
 * (empty when absent), or undefined when a rule is broken.
 */
export function checkTags(
  value: unknown,
  issues: PolicyIssue[],
): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return {};
  if (!isPlainRecord(value)) {
    issues.push({
      attribute: 'tags',
      message: `must be a map of string to string (found ${describeType(value)})`,
    });
    return undefined;
  }
  const entries = Object.entries(value);
  const before = issues.length;
  if (entries.length > MAX_OPERATOR_TAGS) {
    issues.push({
      attribute: 'tags',
      message: `at most ${MAX_OPERATOR_TAGS} tags are allowed (found ${entries.length})`,
    });
  }
  for (const rule of TAG_RULES) {
    const offending = entries.filter(([key, tagValue]) => rule.breaks(key, tagValue)).map(([key]) => key);
    if (offending.length > 0)
      issues.push({ attribute: 'tags', message: `${rule.message} (${listKeys(offending)})` });
  }
  return issues.length === before
    ? Object.freeze(Object.fromEntries(entries) as Record<string, string>)
    : undefined;
}
