import { describe, expect, it } from 'vitest';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { DEPLOYMENT, RestoreTestHarness } from '#test/support/restore-test-harness';

const SLOT = '2026-03-23T04:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(SLOT) + minutes * 60_000).toISOString();

async function startedHarness(maxMinutes = 30) {
  const harness = new RestoreTestHarness(SLOT, maxMinutes);
  const run = await harness.seedSnapshot('2026-03-23T03:00:00.000Z');
  const record = await harness.start(SLOT);
  return { harness, run, record };
}

describe('a restore test', () => {
  it('restores the newest AVAILABLE snapshot into a tagged scratch cache in the source cache network', async () => {
    const { harness, record } = await startedHarness();
    await harness.seedSnapshot('2026-03-22T03:00:00.000Z');
    const newest = await harness.seedSnapshot('2026-03-23T03:30:00.000Z');

    await harness.tick(at(1));

    const [request] = harness.gateway.createCacheRequests;
    expect(request?.name).toBe(record.scratchCacheName);
    expect(request?.snapshotArns).toEqual([harness.gateway.snapshot(newest.snapshotName)?.arn]);
    expect(request?.subnetIds).toEqual(['subnet-1']);
    expect(request?.securityGroupIds).toEqual(['sg-1']);
    expect(request?.tags['snapshot-orchestrator-restore-test']).toBe(DEPLOYMENT);
    expect((await harness.record(SLOT)).snapshotName).toBe(newest.snapshotName);
  });

  it('is VERIFIED with its restore duration once the scratch cache is available, then deletes it', async () => {
    const { harness, record } = await startedHarness();
    await harness.tick(at(1));
    await harness.tick(at(2));
    expect((await harness.record(SLOT)).status).toBe('RESTORING');

    harness.gateway.setCacheStatus(record.scratchCacheName, 'available');
    await harness.tick(at(9));

    const verified = await harness.record(SLOT);
    expect(verified.status).toBe('VERIFIED');
    expect(verified.restoreSeconds).toBe(8 * 60);
    expect(harness.gateway.count('deleteCache', record.scratchCacheName)).toBe(1);
    expect(verified.cleanedUpAt).toBeUndefined();

    harness.gateway.removeCache(record.scratchCacheName);
    await harness.tick(at(10));
    const done = await harness.record(SLOT);
    expect(done.cleanedUpAt).toBe(at(10));
    expect(done.nextCheckAt).toBeUndefined();
    expect(done.expiresAt).toBeGreaterThan(Date.parse(at(10)) / 1000);
    expect(harness.statusChanges()).toEqual(['null→RESTORING', 'RESTORING→VERIFIED']);
  });

  it('ends FAILED CreateFailed when ElastiCache cannot create the scratch cache, and still deletes it', async () => {
    const { harness, record } = await startedHarness();
    await harness.tick(at(1));
    harness.gateway.setCacheStatus(record.scratchCacheName, 'create-failed');

    await harness.tick(at(5));

    const failed = await harness.record(SLOT);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError?.code).toBe('CreateFailed');
    expect(failed.lastError?.message).toContain('create-failed');
    expect(harness.gateway.count('deleteCache', record.scratchCacheName)).toBe(1);
    expect(harness.events.at(-1)?.detail.error).toEqual(failed.lastError);
  });

  it('ends FAILED RestoreTimeout when the scratch cache is not available within maxMinutes', async () => {
    const { harness } = await startedHarness(30);
    await harness.tick(at(1));
    await harness.tick(at(29));
    expect((await harness.record(SLOT)).status).toBe('RESTORING');

    await harness.tick(at(30));

    const failed = await harness.record(SLOT);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError?.code).toBe('RestoreTimeout');
    expect(failed.lastError?.message).toContain('30 minutes');
  });

  it('ends FAILED with the service code when the Create is refused, without a cache to delete', async () => {
    const { harness } = await startedHarness();
    harness.gateway.failNext('createCache', serviceFault('terminal', 'InvalidParameterCombination'));

    await harness.tick(at(1));

    const failed = await harness.record(SLOT);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError?.code).toBe('InvalidParameterCombination');
    expect(failed.cleanedUpAt).toBe(at(1));
    expect(harness.gateway.count('deleteCache')).toBe(0);
  });

  it('retries a Create refused as busy at the next backoff, within the deadline', async () => {
    const { harness } = await startedHarness();
    harness.gateway.failNext('createCache', serviceFault('busy'));

    await harness.tick(at(1));
    const deferred = await harness.record(SLOT);
    expect(deferred.status).toBe('RESTORING');
    expect(deferred.lastError?.code).toBe('InvalidServerlessCacheStateFault');
    expect(deferred.nextCheckAt).toBe(at(2));

    await harness.tick(at(2));
    expect(harness.gateway.count('createCache')).toBe(2);
    expect((await harness.record(SLOT)).requestedAt).toBe(at(2));
  });

  it('ends FAILED NoAvailableSnapshot when its target has no AVAILABLE snapshot', async () => {
    const harness = new RestoreTestHarness(SLOT);
    await harness.start(SLOT);

    await harness.tick(at(1));

    const failed = await harness.record(SLOT);
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError?.code).toBe('NoAvailableSnapshot');
    expect(failed.cleanedUpAt).toBe(at(1));
    expect(harness.gateway.count('createCache')).toBe(0);
    expect(harness.statusChanges()).toEqual(['null→RESTORING', 'RESTORING→FAILED']);
  });

  it('retries a failed delete until the scratch cache is gone, keeping the error on the record', async () => {
    const { harness, record } = await startedHarness();
    await harness.tick(at(1));
    harness.gateway.setCacheStatus(record.scratchCacheName, 'available');
    harness.gateway.failNext('deleteCache', serviceFault('terminal', 'AccessDenied'));
    harness.gateway.failNext('deleteCache', serviceFault('transient', 'ThrottlingException'));

    await harness.tick(at(5));
    const refused = await harness.record(SLOT);
    expect(refused.status).toBe('VERIFIED');
    expect(refused.cleanupError?.code).toBe('AccessDenied');
    expect(refused.nextCheckAt).toBe(at(6));

    await harness.tick(at(6));
    expect((await harness.record(SLOT)).cleanupError?.code).toBe('ThrottlingException');
    const retryAt = (await harness.record(SLOT)).nextCheckAt as string;

    await harness.tick(retryAt);
    expect(harness.gateway.count('deleteCache', record.scratchCacheName)).toBe(3);
    expect((await harness.record(SLOT)).cleanupError).toBeUndefined();
    harness.gateway.removeCache(record.scratchCacheName);
    await harness.tick(at(60));
    expect((await harness.record(SLOT)).cleanedUpAt).toBe(at(60));
  });

  it('deletes a cache still creating at its deadline as soon as it may be deleted', async () => {
    const { harness, record } = await startedHarness(30);
    await harness.tick(at(1));
    await harness.tick(at(30));
    expect((await harness.record(SLOT)).cleanupError?.code).toBe('InvalidServerlessCacheStateFault');
    expect((await harness.record(SLOT)).nextCheckAt).toBe(at(31));

    harness.gateway.setCacheStatus(record.scratchCacheName, 'create-failed');
    await harness.tick(at(31));

    expect(harness.gateway.count('deleteCache', record.scratchCacheName)).toBe(2);
    expect((await harness.record(SLOT)).status).toBe('FAILED');
  });

  it('adopts the scratch cache of a tick that died after its Create, and times it from the cache', async () => {
    const { harness, record } = await startedHarness();
    await harness.tick(at(1));
    // The tick "died" after the Create: the record is back as it was after the attempt was taken.
    const taken = await harness.record(SLOT);
    const rewound = { ...taken, requestedAt: undefined, nextCheckAt: at(3), updatedAt: at(1.5) };
    await harness.restoreTests.transition(rewound, { updatedAt: taken.updatedAt });

    await harness.tick(at(3));

    expect(harness.gateway.count('createCache')).toBe(1);
    const adopted = await harness.record(SLOT);
    expect(adopted.requestedAt).toBe(at(3));
    expect(adopted.scratchCacheName).toBe(record.scratchCacheName);
  });

  it('never deletes a cache of the scratch name that is not this deployment’s', async () => {
    const { harness, record } = await startedHarness();
    await harness.tick(at(1));
    harness.gateway.setCacheStatus(record.scratchCacheName, 'available');
    harness.gateway.setCacheTags(record.scratchCacheName, { 'managed-by': 'someone-else' });

    await harness.tick(at(5));

    expect(harness.gateway.count('deleteCache')).toBe(0);
    expect((await harness.record(SLOT)).cleanedUpAt).toBe(at(5));
  });
});
