import { describe, expect, it } from 'vitest';
import { managedTags } from '#lib/snapshots/snapshot-gateway';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { claimedRunOf, runsOf, testManagedTags } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const NEXT_SLOT = '2025-03-01T11:00:00.000Z';
const ITEM = policyItem('orders-hourly');

/** A tick claimed the 10:00 slot at 10:00 (lease to 10:05) and crashed; nextRunAt is `nextRunAt`. */
async function abandonedClaim(nextRunAt = NEXT_SLOT) {
  const h = new SchedulerHarness({ start: SLOT });
  await putActivePolicy(h.policies, ITEM, nextRunAt);
  const claim = claimedRunOf(policyOf(ITEM), SLOT, 'crashed-tick', SLOT);
  await h.runs.create(claim);
  return { h, claim };
}

describe('resuming open runs', () => {
  it('leaves a claim alone while its lease holds', async () => {
    const { h, claim } = await abandonedClaim();

    await h.tick('2025-03-01T10:04:00.000Z');

    expect(await h.requireRun('orders-hourly', SLOT)).toEqual(claim);
    expect(h.gateway.createRequests).toEqual([]);
  });

  it('takes over a claim whose lease expired and creates its snapshot', async () => {
    const { h } = await abandonedClaim();

    await h.tick('2025-03-01T10:06:00.000Z');

    const run = await h.requireRun('orders-hourly', SLOT);
    expect(run.status).toBe('REQUESTED');
    expect(run.leaseOwner).not.toBe('crashed-tick');
    expect(h.gateway.createRequests).toHaveLength(1);
  });

  it('creates once when the crashed tick left nextRunAt on the slot and five ticks take over at once', async () => {
    const { h } = await abandonedClaim(SLOT);

    await Promise.all([1, 2, 3, 4, 5].map(() => h.tick('2025-03-01T10:06:00.000Z')));

    expect((await runsOf(h.runs, 'orders-hourly')).map((run) => run.status)).toEqual(['REQUESTED']);
    expect(h.gateway.createRequests).toHaveLength(1);
    expect(await h.nextRunAt('orders-hourly')).toBe(NEXT_SLOT);
  });

  it('records an abandoned claim AVAILABLE when its window closed but its snapshot was made', async () => {
    const { h, claim } = await abandonedClaim();
    h.gateway.seedSnapshot({
      name: claim.snapshotName,
      cacheName: 'orders',
      status: 'available',
      bytesUsedForCache: 7,
      tags: testManagedTags('orders-hourly', SLOT),
    });

    await h.tick('2025-03-01T10:35:00.000Z');

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'AVAILABLE',
      bytesUsedForCache: 7,
    });
    expect(h.gateway.createRequests).toEqual([]);
  });

  it('records an abandoned claim REQUESTED when its window closed while its snapshot is still creating', async () => {
    const { h, claim } = await abandonedClaim();
    const tags = testManagedTags('orders-hourly', SLOT);
    h.gateway.seedSnapshot({ name: claim.snapshotName, cacheName: 'orders', status: 'creating', tags });

    await h.tick('2025-03-01T10:35:00.000Z');

    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('REQUESTED');
    expect(h.gateway.createRequests).toEqual([]);
  });

  it('records an abandoned claim MISSED when its window closed and no snapshot was made', async () => {
    const { h } = await abandonedClaim();

    await h.tick('2025-03-01T10:35:00.000Z');

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'MISSED',
      lastError: { code: 'ClaimAbandoned' },
    });
    expect(h.gateway.createRequests).toEqual([]);
  });

  it('does not count a snapshot of its name that another deployment made as made', async () => {
    const { h, claim } = await abandonedClaim();
    const mark = { deployment: 'cache-snapshot-orchestrator-qa', policyId: 'orders-hourly', slot: SLOT };
    h.gateway.seedSnapshot({
      name: claim.snapshotName,
      cacheName: 'orders',
      status: 'available',
      tags: managedTags(mark),
    });

    await h.tick('2025-03-01T10:35:00.000Z');

    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('MISSED');
  });

  it('does not count a snapshot of the same name on another cache as made', async () => {
    const { h, claim } = await abandonedClaim();
    h.gateway.addCache('sessions');
    h.gateway.seedSnapshot({ name: claim.snapshotName, cacheName: 'sessions', status: 'available' });

    await h.tick('2025-03-01T10:35:00.000Z');

    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('MISSED');
  });

  it('skips an open run whose policy was deleted, saying why', async () => {
    const { h } = await abandonedClaim();
    await h.policies.delete('orders-hourly');

    await h.tick('2025-03-01T10:06:00.000Z');

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'SKIPPED',
      lastError: { code: 'PolicyUnavailable', message: 'the policy was deleted' },
    });
    expect(h.gateway.createRequests).toEqual([]);
  });

  it('skips an open run whose policy was disabled', async () => {
    const { h } = await abandonedClaim();
    await h.policies.put({ ...ITEM, enabled: false, state: 'DISABLED' });

    await h.tick('2025-03-01T10:06:00.000Z');

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'SKIPPED',
      lastError: { code: 'PolicyUnavailable', message: 'the policy is disabled' },
    });
  });
});

describe('resuming a durable retry', () => {
  it('retries once when five ticks find the retry due at the same time', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, ITEM, SLOT);
    h.gateway.failNext('createSnapshot', serviceFault('busy'));
    await h.tick(SLOT);
    const waiting = await h.requireRun('orders-hourly', SLOT);

    await Promise.all([1, 2, 3, 4, 5].map(() => h.tick(waiting.retryAt ?? '')));

    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('REQUESTED');
    expect(h.gateway.createRequests).toHaveLength(2);
  });

  it('fails a retry that comes due only after its window closed, with the last fault code and no call', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, ITEM, SLOT);
    h.gateway.failNext('createSnapshot', serviceFault('busy'));
    await h.tick(SLOT);

    await h.tick('2025-03-01T10:40:00.000Z');

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'InvalidServerlessCacheStateFault' },
    });
    expect(h.gateway.createRequests).toHaveLength(1);
  });
});
