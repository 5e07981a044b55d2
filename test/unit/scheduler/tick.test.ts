import { describe, expect, it } from 'vitest';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const NEXT_SLOT = '2025-03-01T11:00:00.000Z';

async function duePolicy() {
  const h = new SchedulerHarness({ start: SLOT });
  await putActivePolicy(h.policies, policyItem('orders-hourly'), SLOT);
  return h;
}

describe('runTick', () => {
  it('claims a due slot, requests its snapshot once and moves nextRunAt to the next slot', async () => {
    const h = await duePolicy();

    const summary = await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'REQUESTED',
      attempts: 1,
      cacheName: 'orders',
    });
    expect(h.gateway.createRequests.map((request) => request.cacheName)).toEqual(['orders']);
    expect(await h.nextRunAt('orders-hourly')).toBe(NEXT_SLOT);
    expect(summary).toMatchObject({ at: SLOT, claimed: 1, outcomes: { REQUESTED: 1 } });
  });

  it('does nothing when the same event is delivered again', async () => {
    const h = await duePolicy();
    await h.tick(SLOT);
    const before = await runsOf(h.runs, 'orders-hourly');

    const summary = await h.tick(SLOT);

    expect(h.gateway.createRequests).toHaveLength(1);
    expect(await runsOf(h.runs, 'orders-hourly')).toEqual(before);
    expect(summary).toMatchObject({ claimed: 0, outcomes: {} });
  });

  it('creates the snapshot once when five ticks run at the same time', async () => {
    const h = await duePolicy();

    const summaries = await Promise.all([1, 2, 3, 4, 5].map(() => h.tick(SLOT)));

    expect(h.gateway.createRequests).toHaveLength(1);
    expect((await runsOf(h.runs, 'orders-hourly')).map((run) => run.status)).toEqual(['REQUESTED']);
    expect(summaries.map((summary) => summary.claimed).sort()).toEqual([0, 0, 0, 0, 1]);
    expect(await h.nextRunAt('orders-hourly')).toBe(NEXT_SLOT);
  });

  it('names the snapshot after the policy and slot and tags it with the managed tags and the policy’s tags', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(
      h.policies,
      policyItem('orders-hourly', {
        namePrefix: 'Orders',
        tags: { team: 'payments' },
        kmsKeyId: 'alias/snap',
      }),
      SLOT,
    );

    await h.tick(SLOT);

    const [request] = h.gateway.createRequests;
    expect(request?.snapshotName).toMatch(/^orders-20250301-1000-[0-9a-f]{8}$/);
    expect(request?.kmsKeyId).toBe('alias/snap');
    expect(request?.tags).toEqual({
      team: 'payments',
      'managed-by': 'cache-snapshot-orchestrator',
      'snapshot-orchestrator-deployment': 'cache-snapshot-orchestrator-test',
      'snapshot-policy-id': 'orders-hourly',
      'snapshot-slot': SLOT,
    });
    expect((await h.requireRun('orders-hourly', SLOT)).snapshotName).toBe(request?.snapshotName);
  });

  it('works every due policy of every cache in one tick', async () => {
    const h = new SchedulerHarness({ start: SLOT, caches: ['orders', 'sessions', 'carts'] });
    for (const cacheName of ['orders', 'sessions', 'carts']) {
      await putActivePolicy(h.policies, policyItem(`${cacheName}-hourly`, { cacheName }), SLOT);
    }

    const summary = await h.tick(SLOT);

    expect(h.gateway.createRequests.map((request) => request.cacheName).sort()).toEqual([
      'carts',
      'orders',
      'sessions',
    ]);
    expect(summary.outcomes).toEqual({ REQUESTED: 3 });
  });

  it('takes nothing from a policy that is not due yet', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), NEXT_SLOT);

    await h.tick(SLOT);

    expect(h.gateway.createRequests).toEqual([]);
    expect(await runsOf(h.runs, 'orders-hourly')).toEqual([]);
    expect(await h.nextRunAt('orders-hourly')).toBe(NEXT_SLOT);
  });
});
