/**
 * Value helpers shared by the DynamoDB and in-memory stores, so both hold exactly what DynamoDB would:
 * the document client (with `removeUndefinedValues`) drops undefined map entries and list elements.
 */
import { isPlainRecord } from '#lib/policy/attribute-checks';

/** A deep copy of `value` without undefined map entries and list elements, as DynamoDB would store it. */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((element) => element !== undefined).map((element) => stripUndefined(element)) as T;
  }
  if (isPlainRecord(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) copy[key] = stripUndefined(entry);
    }
    return copy as T;
  }
  return value;
}

/** Orders strings by code unit, like DynamoDB orders ISO instants and keys (not locale-aware). */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
