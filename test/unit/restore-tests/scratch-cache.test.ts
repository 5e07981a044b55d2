import { describe, expect, it } from 'vitest';
import { isValidSnapshotName } from '#lib/naming/snapshot-name';
import {
  isScratchCacheOf,
  MAX_CACHE_NAME_LENGTH,
  SCRATCH_CACHE_PREFIX,
  scratchCacheName,
  scratchCacheTags,
} from '#lib/restore-tests/scratch-cache';

const KEY = {
  deployment: 'cache-snapshot-orchestrator-prod',
  policyId: 'orders-hourly',
  cacheName: 'orders',
  slot: '2026-03-22T04:00:00.000Z',
};

describe('scratch cache names', () => {
  it('is rt- and 16 hex characters: a valid cache name well within 40 characters', () => {
    const name = scratchCacheName(KEY);

    expect(name).toMatch(/^rt-[0-9a-f]{16}$/);
    expect(name.startsWith(SCRATCH_CACHE_PREFIX)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(MAX_CACHE_NAME_LENGTH);
    expect(isValidSnapshotName(name)).toBe(true);
  });

  it('is the same for the same restore test, so a retried Create asks for the same cache', () => {
    expect(scratchCacheName({ ...KEY })).toBe(scratchCacheName(KEY));
  });

  it.each([
    ['deployment', { deployment: 'cache-snapshot-orchestrator-dev' }],
    ['policy', { policyId: 'orders-daily' }],
    ['cache', { cacheName: 'orders-eu' }],
    ['slot', { slot: '2026-03-29T04:00:00.000Z' }],
  ])('differs for another %s', (_, change) => {
    expect(scratchCacheName({ ...KEY, ...change })).not.toBe(scratchCacheName(KEY));
  });
});

describe('scratch cache tags', () => {
  it('marks the cache managed, restore-test of the deployment, its policy, slot and source, and excluded from selectors', () => {
    expect(scratchCacheTags(KEY)).toEqual({
      'managed-by': 'cache-snapshot-orchestrator',
      'snapshot-orchestrator-restore-test': 'cache-snapshot-orchestrator-prod',
      'snapshot-policy-id': 'orders-hourly',
      'snapshot-slot': '2026-03-22T04:00:00.000Z',
      'snapshot-orchestrator-source-cache': 'orders',
      'snapshot-orchestrator-exclude': 'true',
    });
  });

  it("recognises only this deployment's scratch caches", () => {
    const tags = scratchCacheTags(KEY);

    expect(isScratchCacheOf(tags, KEY.deployment)).toBe(true);
    expect(isScratchCacheOf(tags, 'cache-snapshot-orchestrator-dev')).toBe(false);
    expect(isScratchCacheOf({ ...tags, 'managed-by': 'someone' }, KEY.deployment)).toBe(false);
    expect(isScratchCacheOf({ 'managed-by': 'cache-snapshot-orchestrator' }, KEY.deployment)).toBe(false);
  });
});
