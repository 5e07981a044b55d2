import type * as z from 'zod';
import { MAX_QUOTED_LENGTH, type PolicyIssue, shorten } from '#lib/errors';

/** `text` as a message quotes an operator's value: shortened (lib/errors), in double quotes. */
export function quote(text: string): string {
  return JSON.stringify(shorten(text));
}

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

/** A map key as it appears in an issue's attribute path: shortened, and never empty. */
function keyName(key: string): string {
  return key === '' ? '(empty name)' : key.slice(0, MAX_QUOTED_LENGTH);
}

/** `retention.maxCount`, `targets.names[1]`, `targets.tags.team`: where in the record an issue is. */
function pathOf(attribute: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === 'number' ? `${text}[${segment}]` : `${text}.${keyName(String(segment))}`,
    attribute,
  );
}

/**
 * Parses `value` with `schema`; on failure adds one issue per zod issue to `issues`, naming `attribute`
 * and the nested path (`retention.maxCount`, `targets.names[1]`, `targets.tags.team`); unknown keys of a
 * strict object become `<attribute>.<key>: unknown attribute`, and a map key that breaks the key schema
 * gets that schema's messages. Returns the parsed value, or undefined when it broke a rule.
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
    const path = pathOf(attribute, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        issues.push({ attribute: pathOf(path, [key]), message: 'unknown attribute' });
    } else if (issue.code === 'invalid_key') {
      for (const keyIssue of issue.issues) issues.push({ attribute: path, message: keyIssue.message });
    } else {
      issues.push({ attribute: path, message: issue.message });
    }
  }
  return undefined;
}
