/**
 * `items` grouped by `keyOf`, groups in the order their first item comes, items in their order. (Node 20
 * has no Map.groupBy.)
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Results of a pure, costly computation by string key, at most `max` of them for the life of the process
 * (the oldest dropped first): parsed schedules, croner jobs, `Intl` formatters, schedule verdicts, slot
 * arithmetic. A Lambda container sees few distinct keys (a fleet's policies share their schedules and a
 * tick's instant), so nearly every lookup after the first is a hit; the bound only guards against an
 * unbounded set. A computation that throws is not kept.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The value kept for `key`, else `compute()`'s, kept. An `undefined` result is kept too. */
  get(key: string, compute: () => V): V {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = compute();
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
    return value;
  }
}
