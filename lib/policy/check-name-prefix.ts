import type { PolicyIssue } from '#lib/errors';
import { normalizeNamePrefix } from '#lib/naming/snapshot-name';
import { describeType } from './attribute-checks';

/**
 * Checks `namePrefix` and applies its default, the cache name: lowercased and shortened to leave room for
 * the slot and hash; characters outside letters, digits and single hyphens, or a first character that is
 * not a letter, are an issue (never silently rewritten). Returns undefined when broken, or when defaulting
 * to a cache name that is itself broken (that issue is reported on `cacheName`).
 */
export function checkNamePrefix(
  value: unknown,
  cacheName: string | undefined,
  issues: PolicyIssue[],
): string | undefined {
  if (value === undefined) {
    if (cacheName === undefined) return undefined;
    const fromCacheName = normalizeNamePrefix(cacheName);
    return fromCacheName.ok ? fromCacheName.prefix : undefined;
  }
  if (typeof value !== 'string') {
    issues.push({ attribute: 'namePrefix', message: `must be a string (found ${describeType(value)})` });
    return undefined;
  }
  const result = normalizeNamePrefix(value);
  if (result.ok) return result.prefix;
  issues.push({ attribute: 'namePrefix', message: result.reason });
  return undefined;
}
