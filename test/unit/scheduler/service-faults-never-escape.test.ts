import { describe, expect, it } from 'vitest';
import { createSnapshotForRun } from '#lib/scheduler/create-snapshot';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const DAILY = policyItem('orders-daily', { schedule: 'cron(0 10 * * ? *)' });

/** A tick at SLOT that requested the daily snapshot, still creating. */
async function requestedDaily() {
  const h = new SchedulerHarness({ start: SLOT });
  await putActivePolicy(h.policies, DAILY, SLOT);
  await h.tick(SLOT);
  return { h, run: await h.requireRun('orders-daily', SLOT) };
}

describe('faults and limits at the edges', () => {
  it('keeps a REQUESTED run past the timeout while its cache cannot be listed, and judges it at the next look', async () => {
    const { h, run } = await requestedDaily();
    h.gateway.failNext('listSnapshots', serviceFault('transient'));
    await h.tick('2025-03-01T15:59:00.000Z');
    h.gateway.failNext('listSnapshots', serviceFault('transient'));
    await h.tick('2025-03-01T16:01:00.000Z');
    const unseen = await h.requireRun('orders-daily', SLOT);
    h.gateway.complete(run.snapshotName, 100);

    await h.tick('2025-03-01T16:02:00.000Z');

    expect(unseen.status).toBe('REQUESTED');
    expect((await h.requireRun('orders-daily', SLOT)).status).toBe('AVAILABLE');
  });

  it('records a REQUESTED run AVAILABLE, looked up by name, when its cache was deleted after the snapshot completed', async () => {
    const { h, run } = await requestedDaily();
    h.gateway.complete(run.snapshotName, 100);
    h.gateway.removeCache('orders');

    await h.tick('2025-03-01T16:01:00.000Z');

    expect(await h.requireRun('orders-daily', SLOT)).toMatchObject({
      status: 'AVAILABLE',
      bytesUsedForCache: 100,
    });
  });

  it('createSnapshotForRun never throws for a fault of the service (already-exists, then the lookup fails)', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    const item = policyItem('orders-hourly');
    await putActivePolicy(h.policies, item, SLOT);
    const claim = claimedRunOf(policyOf(item), SLOT, 'tick-a', SLOT);
    await h.runs.create(claim);
    h.gateway.seedSnapshot({ name: claim.snapshotName, cacheName: 'orders', status: 'available' });
    h.gateway.failNext('getSnapshot', serviceFault('transient'));

    const result = createSnapshotForRun(h.deps, { run: claim, policy: policyOf(item) });

    await expect(result).resolves.toMatchObject({
      run: { status: 'RETRYING', attempts: 1, lastError: { code: 'Throttling' } },
      cacheBusy: false,
    });
  });
});
