import type { z } from 'zod';
import { type PolicyIssue, shorten } from '#lib/errors';

/** What kind of value this is, in words for an issue message ("null", "a list", "number"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Set) return 'a set';
  if (value instanceof Uint8Array) return 'binary';
  return typeof value;
}

/** A zod `error` option for the type check: "must be <expected> (found <type>)". */
export function mustBe(expected: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => `must be ${expected} (found ${describeType(issue.input)})` };
}

/**
 * Whether `value` is a plain map of attributes (what DynamoDB maps unmarshal to): a `{}`-style object, not
 * an array, set, buffer or class instance. The one such check: policy validation and the stores use it.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Parses `value` with `schema`; on failure adds one issue per zod issue to `issues`, naming `attribute`
 * (and the nested path, e.g. `retention.maxCount`); unknown keys of a strict object become
 * `<attribute>.<key>: unknown attribute`. Returns the parsed value, or undefined when it broke a rule.
 */
export function checkWithSchema<T>(
  issues: PolicyIssue[],
  attribute: string,
  schema: z.ZodType<T>,
  value: unknown,
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = [attribute, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        issues.push({
          attribute: `${path}.${shorten(key)}`,
          message: 'unknown attribute',
        });
    } else {
      issues.push({ attribute: path, message: issue.message });
    }
  }
  return undefined;
}
