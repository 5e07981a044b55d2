import { describe, expect, it } from 'vitest';
import { runTick } from '#lib/scheduler/tick';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';

describe('dispatching claimed runs', () => {
  it('starts one Create per cache per tick: a second policy on the cache becomes a CacheBusy retry', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);
    await putActivePolicy(h.policies, policyItem('orders-audit', { namePrefix: 'audit' }), SLOT);

    await h.tick(SLOT);

    const runs = [...(await runsOf(h.runs, 'orders-hourly')), ...(await runsOf(h.runs, 'orders-audit'))];
    expect(runs.map((run) => run.status).sort()).toEqual(['REQUESTED', 'RETRYING']);
    expect(runs.find((run) => run.status === 'RETRYING')).toMatchObject({
      attempts: 0,
      lastError: { code: 'CacheBusy' },
    });
    expect(h.gateway.createRequests).toHaveLength(1);
  });

  it('lets the deferred policy take its turn once the cache’s snapshot is done', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);
    await putActivePolicy(h.policies, policyItem('orders-audit', { namePrefix: 'audit' }), SLOT);
    await h.tick(SLOT);
    const [first] = h.gateway.createRequests;
    h.gateway.complete(first?.snapshotName ?? '', 100);

    await h.tick('2025-03-01T10:05:00.000Z');

    const statuses = [
      (await h.requireRun('orders-hourly', SLOT)).status,
      (await h.requireRun('orders-audit', SLOT)).status,
    ].sort();
    expect(statuses).toEqual(['AVAILABLE', 'REQUESTED']);
    expect(h.gateway.createRequests).toHaveLength(2);
  });

  it('defers without a call a cache that still has one of our snapshots creating', async () => {
    const h = new SchedulerHarness({ start: '2025-03-01T09:00:00.000Z' });
    await putActivePolicy(
      h.policies,
      policyItem('orders-daily', { schedule: 'cron(0 9 * * ? *)' }),
      '2025-03-01T09:00:00.000Z',
    );
    await h.tick('2025-03-01T09:00:00.000Z');
    await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'RETRYING',
      lastError: { code: 'CacheBusy' },
    });
    expect(h.gateway.createRequests.map((request) => request.snapshotName)).toHaveLength(1);
  });

  it.each(['InvalidServerlessCacheStateFault', 'InvalidServerlessCacheSnapshotStateFault'])(
    'defers the cache’s next run without a call once a Create was answered busy (%s)',
    async (code) => {
      const h = new SchedulerHarness({ start: SLOT });
      await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);
      await putActivePolicy(h.policies, policyItem('orders-audit', { namePrefix: 'audit' }), SLOT);
      h.gateway.failNext('createSnapshot', serviceFault('busy', code));

      await h.tick(SLOT);

      const runs = [...(await runsOf(h.runs, 'orders-hourly')), ...(await runsOf(h.runs, 'orders-audit'))];
      expect(runs.map((run) => run.lastError?.code).sort()).toEqual(['CacheBusy', code].sort());
      expect(runs.map((run) => run.status)).toEqual(['RETRYING', 'RETRYING']);
      expect(h.gateway.createRequests).toHaveLength(1);
    },
  );

  it('starts nothing within the deadline margin and hands the claimed runs back as retries due at once', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);

    await h.tick(SLOT, 4_000);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'RETRYING',
      retryAt: SLOT,
      lastError: { code: 'DeadlineReached' },
    });
    expect(h.gateway.createRequests).toEqual([]);
    expect(await h.nextRunAt('orders-hourly')).toBe('2025-03-01T11:00:00.000Z');
  });

  it('lets the next tick create what a tick out of time handed back', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);
    await h.tick(SLOT, 4_000);

    await h.tick('2025-03-01T10:01:00.000Z');

    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('REQUESTED');
    expect(h.gateway.createRequests).toHaveLength(1);
  });

  it('stops starting caches once time runs out mid-tick and hands the rest back', async () => {
    const h = new SchedulerHarness({
      start: SLOT,
      caches: ['orders', 'sessions'],
      settings: { concurrency: 1 },
    });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);
    await putActivePolicy(h.policies, policyItem('sessions-hourly', { cacheName: 'sessions' }), SLOT);
    const deps = {
      ...h.deps,
      remainingMs: () => (h.gateway.createRequests.length === 0 ? 60_000 : 1_000),
    };

    await runTick(deps, { at: new Date(SLOT), tickId: 'event-1' });

    const runs = [await h.requireRun('orders-hourly', SLOT), await h.requireRun('sessions-hourly', SLOT)];
    expect(runs.map((run) => [run.status, run.lastError?.code]).sort()).toEqual([
      ['REQUESTED', undefined],
      ['RETRYING', 'DeadlineReached'],
    ]);
    expect(h.gateway.createRequests).toHaveLength(1);
  });
});
