import type { SyncResult } from '#lib/policy/policy-store';
import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';

/** An operator record with tags and retention (maps), as written before any sync. */
export function operatorRecord(policyId: string, overrides: Partial<PolicyItem> = {}): PolicyItem {
  return {
    policyId,
    cacheName: 'orders-cache',
    schedule: 'cron(0 3 * * ? *)',
    timezone: 'Europe/Berlin',
    enabled: true,
    tags: { team: 'payments', 'cost.center': 'cc-42' },
    retention: { maxCount: 7, minCount: 2 },
    ...overrides,
  };
}

export function activeResult(nextRunAt: string, overrides: Partial<SyncResult> = {}): SyncResult {
  return {
    state: 'ACTIVE',
    stateReason: undefined,
    nextRunAt,
    activatedAt: '2025-03-01T09:00:00.000Z',
    specHash: 'hash-1',
    syncedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  };
}

/** The ISO instant `minutes` after 2025-03-01T10:00Z. */
export function at(minutes: number): string {
  return new Date(Date.parse('2025-03-01T10:00:00.000Z') + minutes * 60_000).toISOString();
}

export function runRecord(policyId: string, slot: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    policyId,
    slot,
    cacheName: 'orders-cache',
    kind: 'SCHEDULED',
    snapshotName: `orders-${slot.slice(0, 10).replaceAll('-', '')}-abc123`,
    status: 'CLAIMED',
    attempts: 0,
    createdAt: slot,
    updatedAt: slot,
    windowClosesAt: slot,
    leaseOwner: 'tick-a',
    leaseExpiresAt: slot,
    nextCheckAt: slot,
    ...overrides,
  };
}

/** Every item an async iterable yields. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
