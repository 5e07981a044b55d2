import { describe, expect, it } from 'vitest';
import { judgeOwnership } from '#lib/snapshots/ownership';
import { MANAGED_TAGS, managedTags } from '#lib/snapshots/snapshot-gateway';

const MARK = {
  deployment: 'cache-snapshot-orchestrator-dev',
  policyId: 'orders-hourly',
  slot: '2026-03-23T10:00:00.000Z',
};

function without(tags: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _dropped, ...rest } = tags;
  return rest;
}

describe('judgeOwnership', () => {
  it('owns a snapshot carrying this deployment’s mark for the run, whatever other tags it has', () => {
    expect(judgeOwnership({ ...managedTags(MARK), team: 'payments' }, MARK)).toEqual({
      owned: true,
      legacy: false,
    });
  });

  it('owns one without a deployment tag through the run asking, as made before deployments were told apart', () => {
    expect(judgeOwnership(without(managedTags(MARK), MANAGED_TAGS.deployment), MARK)).toEqual({
      owned: true,
      legacy: true,
    });
  });

  it.each([
    ['no managed-by tag', without(managedTags(MARK), MANAGED_TAGS.managedBy), 'not made by the orchestrator'],
    [
      'another deployment',
      managedTags({ ...MARK, deployment: 'cache-snapshot-orchestrator-qa' }),
      'made by another deployment of the orchestrator, "cache-snapshot-orchestrator-qa"',
    ],
    [
      'another policy',
      managedTags({ ...MARK, policyId: 'orders-daily' }),
      'made for another policy, "orders-daily"',
    ],
    ['another slot', managedTags({ ...MARK, slot: '2026-03-23T11:00:00.000Z' }), 'made for another slot'],
    [
      'a legacy snapshot of another policy',
      without(managedTags({ ...MARK, policyId: 'orders-daily' }), MANAGED_TAGS.deployment),
      'made for another policy',
    ],
  ])('does not own one with %s, and says whose it is', (_case, tags, reason) => {
    const ownership = judgeOwnership(tags, MARK);

    expect(ownership.owned).toBe(false);
    expect(ownership.owned ? '' : ownership.reason).toContain(reason);
  });
});
