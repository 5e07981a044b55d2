import { describe, expect, it } from 'vitest';
import { startRestoreTest } from '#lib/restore-tests/start-restore-test';
import { RestoreTestHarness } from '#test/support/restore-test-harness';
import { seedAvailableRun } from '#test/support/run-builders';

const SLOT = '2026-03-23T04:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(SLOT) + minutes * 60_000).toISOString();
const MEMBER = { account: '222222222222', region: 'eu-west-1' };

async function memberHarness() {
  const harness = new RestoreTestHarness(SLOT);
  const member = harness.placements.add(MEMBER);
  member.addCache('orders', { subnetIds: ['subnet-member'], securityGroupIds: ['sg-member'] });
  const policy = { ...harness.policy, ...MEMBER };
  const run = await seedAvailableRun(harness.runs, member, policy, '2026-03-23T03:00:00.000Z');
  const outcome = await startRestoreTest(harness.deps, policy, 'orders', SLOT, new Set());
  if (!outcome.started) throw new Error('restore test not started');
  return { harness, member, run, record: outcome.record };
}

describe('a restore test of a cache in a member account and region', () => {
  it('names the policy’s account and region on its record', async () => {
    const { record } = await memberHarness();

    expect(record).toMatchObject(MEMBER);
  });

  it('restores the snapshot found there into a scratch cache there, in the source cache’s network, none at home', async () => {
    const { harness, member, run, record } = await memberHarness();

    await harness.tick(at(1));

    const [request] = member.createCacheRequests;
    expect(request?.name).toBe(record.scratchCacheName);
    expect(request?.snapshotArns).toEqual([member.snapshot(run.snapshotName)?.arn]);
    expect(request?.subnetIds).toEqual(['subnet-member']);
    expect(harness.gateway.createCacheRequests).toEqual([]);
  });

  it('follows the scratch cache there until VERIFIED and deletes it there', async () => {
    const { harness, member, record } = await memberHarness();
    await harness.tick(at(1));
    member.setCacheStatus(record.scratchCacheName, 'available');

    await harness.tick(at(6));

    expect((await harness.record(SLOT)).status).toBe('VERIFIED');
    expect(member.count('deleteCache', record.scratchCacheName)).toBe(1);
    expect(harness.gateway.count('getCache')).toBe(0);
  });

  it('while the member role cannot be assumed, stays RESTORING and ends FAILED at its deadline, nothing made at home', async () => {
    const { harness } = await memberHarness();
    harness.placements.deny(MEMBER.account);

    const summary = await harness.tick(at(1));
    expect(summary.open).toBe(1);
    expect((await harness.record(SLOT)).status).toBe('RESTORING');

    await harness.tick(at(31));

    expect(await harness.record(SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'RestoreTimeout' },
    });
    expect(harness.gateway.createCacheRequests).toEqual([]);
  });
});
