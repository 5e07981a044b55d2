import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, METRIC, metrics } from '#lib/observability';
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
  afterEach(() => {
    vi.restoreAllMocks();
  });

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

  it('when the member role is refused, ends FAILED with AssumeRoleFailed in its first tick, counted, nothing created, its record closed', async () => {
    const { harness, member } = await memberHarness();
    harness.placements.deny(MEMBER.account);
    const counted = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const summary = await harness.tick(at(1));

    expect(summary).toMatchObject({ open: 1, failed: 1, cleanedUp: 1 });
    const record = await harness.record(SLOT);
    expect(record).toMatchObject({ status: 'FAILED', lastError: { code: 'AssumeRoleFailed' }, attempts: 0 });
    expect(record.lastError?.message).toContain('222222222222');
    expect(record.cleanedUpAt).toBeDefined();
    expect(counted).toHaveBeenCalledWith(METRIC.AssumeRoleFailures, 'Count', 1);
    expect(member.createCacheRequests).toEqual([]);
    expect(harness.gateway.createCacheRequests).toEqual([]);
    expect(harness.statusChanges()).toEqual(['null→RESTORING', 'RESTORING→FAILED']);
  });

  it('when the member role is refused, a test of the same cache in the own account goes on in the same tick', async () => {
    const { harness } = await memberHarness();
    harness.placements.deny(MEMBER.account);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    await harness.seedSnapshot('2026-03-23T03:00:00.000Z');
    const own = await harness.start('2026-03-23T04:01:00.000Z');

    await harness.tick(at(2));

    expect(await harness.record(SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'AssumeRoleFailed' },
    });
    expect(await harness.record(own.slot)).toMatchObject({ status: 'RESTORING', attempts: 1 });
    expect(harness.gateway.createCacheRequests.map((request) => request.name)).toEqual([
      own.scratchCacheName,
    ]);
  });

  it('while STS only throttles the member role, stays RESTORING with the fault, then restores once the role is assumed', async () => {
    const { harness, member, record } = await memberHarness();
    harness.placements.deny(MEMBER.account, 'transient');
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    await harness.tick(at(1));
    const waiting = await harness.record(SLOT);
    expect(waiting).toMatchObject({ status: 'RESTORING', lastError: { code: 'AssumeRoleFailed' } });
    expect(waiting.nextCheckAt && waiting.nextCheckAt > at(1)).toBe(true);

    harness.placements.allow(MEMBER.account);
    await harness.tick(at(20));

    expect(member.createCacheRequests.map((request) => request.name)).toEqual([record.scratchCacheName]);
  });
});
