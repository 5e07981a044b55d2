import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#lib/observability';
import { computeSpecHash, parsePolicy } from '#lib/policy/parse-policy';
import { policyForTarget } from '#lib/policy/policy-for-target';
import type { PolicyItem } from '#lib/policy/types';
import { newestSnapshotOf } from '#lib/runs/snapshot-summary';
import type { RunRecord } from '#lib/runs/types';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { seedAvailableRun } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const NOW = '2025-03-03T12:00:00.000Z';
const SLOTS = ['2025-03-01T10:00:00.000Z', '2025-03-02T10:00:00.000Z', '2025-03-03T10:00:00.000Z'];
const DAILY = policyItem('orders-daily', { schedule: 'cron(0 10 * * ? *)' });

/** A daily policy with three AVAILABLE runs, its newest snapshot recorded as the tick records it. */
async function threeDays(item: PolicyItem = DAILY) {
  const h = new SchedulerHarness({ start: NOW });
  await putActivePolicy(
    h.policies,
    { ...item, syncedAt: '2025-02-28T00:00:00.000Z' },
    '2025-03-04T10:00:00.000Z',
  );
  const runs = [];
  for (const slot of SLOTS) runs.push(await seedAvailableRun(h.runs, h.gateway, policyOf(item), slot));
  const newest = runs[2];
  await h.policies.recordNewestSnapshot(item.policyId, newestOf(newest));
  return { h, runs };
}

const hoursSince = (slot: string) => (Date.parse(NOW) - Date.parse(slot)) / 1000;

describe('reconcile’s check that available snapshots still exist', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('ends the run of a newest snapshot deleted by hand GONE and moves the recovery point back', async () => {
    const { h, runs } = await threeDays();
    h.gateway.removeSnapshot(runs[2]?.snapshotName ?? '');

    const summary = await reconcilePolicies(h.deps);

    expect(await h.requireRun('orders-daily', SLOTS[2] ?? '')).toMatchObject({
      status: 'GONE',
      goneAt: NOW,
      goneNoticedBy: 'reconcile',
      lastError: { code: 'SnapshotGone' },
    });
    expect((await h.policies.get('orders-daily'))?.newestSnapshot?.slot).toBe(SLOTS[1]);
    expect(summary).toMatchObject({
      snapshotsGone: 1,
      maxNewestSnapshotAgeSeconds: hoursSince(SLOTS[1] ?? ''),
    });
  });

  it('ends an older one GONE and leaves the recovery point where it is', async () => {
    const { h, runs } = await threeDays();
    h.gateway.removeSnapshot(runs[0]?.snapshotName ?? '');

    const summary = await reconcilePolicies(h.deps);

    expect((await h.requireRun('orders-daily', SLOTS[0] ?? '')).status).toBe('GONE');
    expect((await h.requireRun('orders-daily', SLOTS[1] ?? '')).status).toBe('AVAILABLE');
    expect((await h.policies.get('orders-daily'))?.newestSnapshot?.slot).toBe(SLOTS[2]);
    expect(summary.maxNewestSnapshotAgeSeconds).toBe(hoursSince(SLOTS[2] ?? ''));
  });

  it('removes the recovery point when every snapshot is gone, so its age no longer counts one', async () => {
    const { h, runs } = await threeDays();
    for (const run of runs) h.gateway.removeSnapshot(run.snapshotName);

    const summary = await reconcilePolicies(h.deps);

    expect(await h.policies.get('orders-daily')).not.toHaveProperty('newestSnapshot');
    expect(summary.snapshotsGone).toBe(3);
    expect(summary.maxNewestSnapshotAgeSeconds).toBeGreaterThan(hoursSince(SLOTS[0] ?? ''));
  });

  it('ends a run GONE when its snapshot is being deleted outside the orchestrator', async () => {
    const { h, runs } = await threeDays();
    h.gateway.setStatus(runs[1]?.snapshotName ?? '', 'deleting');

    await reconcilePolicies(h.deps);

    expect((await h.requireRun('orders-daily', SLOTS[1] ?? '')).status).toBe('GONE');
  });

  it('lists each cache once, whatever the number of runs and policies on it', async () => {
    const { h } = await threeDays();
    const weekly = policyItem('orders-weekly', { schedule: 'cron(0 10 ? * MON *)' });
    await putActivePolicy(h.policies, weekly, '2025-03-10T10:00:00.000Z');
    await seedAvailableRun(h.runs, h.gateway, policyOf(weekly), '2025-02-24T10:00:00.000Z');

    await reconcilePolicies(h.deps);

    expect(h.gateway.count('listSnapshots', 'orders')).toBe(1);
    expect(h.gateway.count('getSnapshot')).toBe(0);
  });

  it('judges nothing when a cache cannot be listed: no run GONE, the recovery point kept', async () => {
    const { h, runs } = await threeDays();
    h.gateway.removeSnapshot(runs[2]?.snapshotName ?? '');
    h.gateway.failNext('listSnapshots', serviceFault('transient'), 'orders');

    const summary = await reconcilePolicies(h.deps);

    expect((await h.requireRun('orders-daily', SLOTS[2] ?? '')).status).toBe('AVAILABLE');
    expect((await h.policies.get('orders-daily'))?.newestSnapshot?.slot).toBe(SLOTS[2]);
    expect(summary.snapshotsGone).toBe(0);
  });

  it('counts a deleted snapshot once: the next reconcile finds nothing more and sets nothing', async () => {
    const { h, runs } = await threeDays();
    h.gateway.removeSnapshot(runs[2]?.snapshotName ?? '');
    const added = vi.spyOn(metrics, 'addMetric');
    await reconcilePolicies(h.deps);
    const after = await h.policies.get('orders-daily');

    const again = await reconcilePolicies(h.deps);

    expect(again.snapshotsGone).toBe(0);
    expect(await h.policies.get('orders-daily')).toEqual(after);
    expect(added.mock.calls.filter(([name]) => name === 'SnapshotsGone')).toHaveLength(1);
  });

  it('moves a recovery point that fell behind (its summary write failed) forward to the newest available run', async () => {
    const { h } = await threeDays();
    await h.policies.replaceNewestSnapshot('orders-daily', SLOTS[2], undefined);

    await reconcilePolicies(h.deps);

    expect((await h.policies.get('orders-daily'))?.newestSnapshot).toMatchObject({
      slot: SLOTS[2],
      takenAt: SLOTS[2],
    });
  });

  it('moves a fleet target’s recovery point back when its newest snapshot is deleted by hand, on the target', async () => {
    const h = new SchedulerHarness({ start: NOW, caches: ['cart', 'search'] });
    for (const cacheName of ['cart', 'search']) h.gateway.setCacheTags(cacheName, { tier: 'gold' });
    await h.policies.put({ ...GOLD, state: 'ACTIVE', specHash: computeSpecHash(GOLD), syncedAt: NOW });
    const ofCache = new Map<string, RunRecord[]>();
    for (const cacheName of ['cart', 'search']) {
      await h.targets.table.enrol({
        policyId: 'gold',
        cacheName,
        nextRunAt: NEXT,
        enrolledAt: SLOTS[0] ?? '',
      });
      const policy = policyForTarget(parsePolicy(GOLD), cacheName);
      const runs = [];
      for (const slot of SLOTS) runs.push(await seedAvailableRun(h.runs, h.gateway, policy, slot));
      await h.targets.recordSummaries({ policyId: 'gold', cacheName }, { newestSnapshot: newestOf(runs[2]) });
      ofCache.set(cacheName, runs);
    }
    h.gateway.removeSnapshot(ofCache.get('cart')?.[2]?.snapshotName ?? '');

    await reconcilePolicies(h.deps);

    const target = (cacheName: string) => h.targets.table.get({ policyId: 'gold', cacheName });
    expect((await target('cart'))?.newestSnapshot?.slot).toBe(SLOTS[1]);
    expect((await target('search'))?.newestSnapshot?.slot).toBe(SLOTS[2]);
    expect(await h.policies.get('gold')).not.toHaveProperty('newestSnapshot');
  });
});

const NEXT = '2025-03-04T10:00:00.000Z';
const GOLD: PolicyItem = {
  policyId: 'gold',
  schedule: 'cron(0 10 * * ? *)',
  targets: { tags: { tier: 'gold' } },
};

function newestOf(run: RunRecord | undefined) {
  if (!run) throw new Error('no run');
  return newestSnapshotOf(run);
}
