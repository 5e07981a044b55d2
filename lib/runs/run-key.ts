import type { RunKey } from './types';

/**
 * The runs table's range key: `<cacheName>#<slot>` for a SCHEDULED run, `<cacheName>#<slot>#<kind>` for the
 * others (`#` cannot occur in a cache name). One policy's runs sort by cache, then slot, then kind, and one
 * target's runs are the keys beginning with runKeyPrefix(cacheName). With the policy id, it tells runs
 * apart anywhere. docs/architecture.md, "Run record".
 */
export function runKeyOf(key: RunKey): string {
  const base = `${runKeyPrefix(key.cacheName)}${key.slot}`;
  return key.kind === 'SCHEDULED' ? base : `${base}#${key.kind}`;
}

/** The start every runKey of `cacheName` shares. */
export function runKeyPrefix(cacheName: string): string {
  return `${cacheName}#`;
}
