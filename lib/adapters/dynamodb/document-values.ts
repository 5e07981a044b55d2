import { isPlainRecord } from '#lib/policy/attribute-checks';

/**
 * `value` for the marshaller (ItemClient's convertToAttr), with every map (plain object) turned into a Map, at any depth.
 * The marshaller tells a map from a set, a buffer or a class instance by `value.constructor.name`, so a map
 * with its own key `constructor` (a tag key an operator may write) is refused as an "unsupported type"; a
 * Map is marshalled entry by entry whatever its keys (`toString`, `hasOwnProperty`, …). Reading back needs
 * nothing: the unmarshaller adds each key as an own property of a plain object.
 */
export function toMarshallable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMarshallable);
  if (!isPlainRecord(value)) return value;
  return new Map(Object.entries(value).map(([key, entry]) => [key, toMarshallable(entry)]));
}

/** An item for ItemClient: its attributes stay a plain object (ItemClient reads them so), each value toMarshallable. */
export function toMarshallableItem(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toMarshallable(value)]));
}
