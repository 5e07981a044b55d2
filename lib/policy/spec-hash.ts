import { createHash } from 'node:crypto';
import { ORCHESTRATOR_ATTRIBUTES } from './types';

const ORCHESTRATOR: ReadonlySet<string> = new Set(ORCHESTRATOR_ATTRIBUTES);
const MAX_DEPTH = 32;

/**
 * The attributes the operator controls: every attribute except the orchestrator's own (ORCHESTRATOR_ATTRIBUTES).
 * Unknown attributes count too: adding one turns a valid record INVALID, so it must change the spec hash.
 */
export function operatorAttributes(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).filter(([name, value]) => !ORCHESTRATOR.has(name) && value !== undefined),
  );
}

/** A canonical text of a DynamoDB-shaped value: map keys sorted, sets sorted, lists in order, deep. */
function canonicalize(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) return '"…"';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : `#${String(value)}`;
  if (typeof value === 'bigint') return `#${value}n`;
  if (value instanceof Uint8Array) return `#b64:${Buffer.from(value).toString('base64')}`;
  if (Array.isArray(value)) return `[${value.map((entry) => canonicalize(entry, depth + 1)).join(',')}]`;
  if (value instanceof Set)
    return `#set[${[...value]
      .map((entry) => canonicalize(entry, depth + 1))
      .sort()
      .join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalize(entry, depth + 1)}`).join(',')}}`;
  }
  return `#${typeof value}`;
}

/**
 * A stable short version of the operator's part of a policy item: the first 16 hex characters of a sha256
 * over a canonical text of operatorAttributes(item) (key order and set order do not matter). Policy sync
 * stores it as `specHash` and compares it to spot its own writes on the stream (loop guard).
 */
export function computeSpecHash(item: Record<string, unknown>): string {
  return createHash('sha256')
    .update(canonicalize(operatorAttributes(item), 0))
    .digest('hex')
    .slice(0, 16);
}
