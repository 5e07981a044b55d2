import { describe, expect, it } from 'vitest';
import { ownerOf } from '#lib/restore-tests/snapshot-owner';

const MANAGED = {
  'managed-by': 'cache-snapshot-orchestrator',
  'snapshot-policy-id': 'orders-hourly',
  'snapshot-slot': '2026-03-22T04:00:00.000Z',
};

describe('ownerOf', () => {
  it('names the deployment of a snapshot tagged with one', () => {
    const tags = { ...MANAGED, 'snapshot-orchestrator-deployment': 'cache-snapshot-orchestrator-prod' };

    expect(ownerOf(tags)).toEqual({ kind: 'deployment', deployment: 'cache-snapshot-orchestrator-prod' });
  });

  it('names the policy and slot of a managed snapshot made before deployment tags', () => {
    expect(ownerOf(MANAGED)).toEqual({
      kind: 'legacy',
      policyId: 'orders-hourly',
      slot: '2026-03-22T04:00:00.000Z',
    });
  });

  it.each([
    ['no tags', {}],
    ['another managed-by', { ...MANAGED, 'managed-by': 'someone-else' }],
    ['managed-by without policy and slot', { 'managed-by': 'cache-snapshot-orchestrator' }],
  ])('calls a snapshot with %s unmanaged', (_, tags) => {
    expect(ownerOf(tags)).toEqual({ kind: 'unmanaged' });
  });
});
