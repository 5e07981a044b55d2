/**
 * Value helpers shared by the DynamoDB and in-memory stores, so both hold exactly what DynamoDB would:
 * the document client (with `removeUndefinedValues`) drops undefined map entries and list elements.
 */
import { isPlainRecord } from '#lib/policy/attribute-checks';

/**
 * A deep copy of `value` without undefined map entries and list elements, as DynamoDB would store it.
 * Maps are copied key by key as own properties, so a key such as `__proto__` stays a key (an assignment
 * `copy[key] = …` would set the copy's prototype instead and lose it).
 */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((element) => element !== undefined).map((element) => stripUndefined(element)) as T;
  }
  if (isPlainRecord(value)) {
    const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
    return Object.fromEntries(entries.map(([key, entry]) => [key, stripUndefined(entry)])) as T;
  }
  return value;
}

/**
 * The one map key the AWS SDK for JavaScript cannot store: its marshaller and its wire serializer build
 * maps by assignment, where `__proto__` sets a prototype instead of adding the key, so the key would be
 * dropped without a word. The stores refuse it (toStoredPolicyItem); policy validation refuses it in `tags`.
 */
export const UNSTORABLE_KEY = '__proto__';

/** The path (`tags.__proto__`) of the first UNSTORABLE_KEY in `value`'s maps, at any depth, or undefined. */
export function findUnstorableKey(value: unknown, path = ''): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      const found = findUnstorableKey(entry, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
  } else if (isPlainRecord(value)) {
    for (const [key, entry] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key === UNSTORABLE_KEY) return at;
      const found = findUnstorableKey(entry, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Orders strings by code unit, like DynamoDB orders ISO instants and keys (not locale-aware). */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
