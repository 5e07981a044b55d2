import { describe, expect, it } from 'vitest';
import { createSnapshotForRun } from '#lib/scheduler/create-snapshot';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';

describe('faults and limits at the edges', () => {
  it('ends a REQUESTED run after the completion timeout even when its cache can no longer be listed', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, policyItem('orders-daily', { schedule: 'cron(0 10 * * ? *)' }), SLOT);
    await h.tick(SLOT);
    const run = await h.requireRun('orders-daily', SLOT);
    h.gateway.complete(run.snapshotName, 100);
    h.gateway.removeCache('orders');

    await h.tick('2025-03-01T16:01:00.000Z');
    await h.tick('2025-03-02T09:00:00.000Z');

    expect(['AVAILABLE', 'FAILED']).toContain((await h.requireRun('orders-daily', SLOT)).status);
  });

  it('createSnapshotForRun never throws for a fault of the service (already-exists, then the lookup fails)', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    const item = policyItem('orders-hourly');
    await putActivePolicy(h.policies, item, SLOT);
    const claim = claimedRunOf(policyOf(item), SLOT, 'tick-a', SLOT);
    await h.runs.create(claim);
    h.gateway.seedSnapshot({ name: claim.snapshotName, cacheName: 'orders', status: 'available' });
    h.gateway.failNext('getSnapshot', serviceFault('transient'));

    const result = createSnapshotForRun(h.deps, { run: claim, policy: policyOf(item) }, async () => 0);

    await expect(result).resolves.toMatchObject({ policyId: 'orders-hourly' });
  });
});
