import { describe, expect, it } from 'vitest';
import { computeSpecHash } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import { putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T03:00:00.000Z';
const NEXT = '2025-03-02T03:00:00.000Z';
const GOLD: PolicyItem = {
  policyId: 'gold',
  schedule: 'cron(0 3 * * ? *)',
  targets: { tags: { tier: 'gold' } },
  retention: { maxCount: 1, minCount: 1 },
};

async function arrange(caches = ['orders', 'cart']) {
  const h = new SchedulerHarness({ start: SLOT, caches: [...caches, 'search'] });
  await h.policies.put({ ...GOLD, state: 'ACTIVE', specHash: computeSpecHash(GOLD) });
  for (const cacheName of caches) {
    await h.targets.table.enrol({ policyId: 'gold', cacheName, nextRunAt: SLOT, enrolledAt: SLOT });
  }
  return h;
}

const target = (h: SchedulerHarness, cacheName: string) =>
  h.targets.table.get({ policyId: 'gold', cacheName });

describe('a tick over the targets of a targets policy', () => {
  it('takes one run per (policy, cache, slot), names each after its cache, and moves each target on', async () => {
    const h = await arrange();

    await h.tick(SLOT);
    await h.tick(SLOT, 60_000, 'duplicate-event');

    const runs = await runsOf(h.runs, 'gold');
    expect(runs.map((run) => `${run.cacheName}@${run.slot}:${run.status}`).sort()).toEqual([
      `cart@${SLOT}:REQUESTED`,
      `orders@${SLOT}:REQUESTED`,
    ]);
    expect(h.gateway.createRequests.map((request) => request.snapshotName).sort()).toEqual([
      expect.stringMatching(/^cart-20250301-0300-[0-9a-f]{8}$/),
      expect.stringMatching(/^orders-20250301-0300-[0-9a-f]{8}$/),
    ]);
    expect(await target(h, 'orders')).toMatchObject({
      nextRunAt: NEXT,
      lastRun: { slot: SLOT, status: 'REQUESTED' },
    });
    expect((await h.policies.get('gold'))?.lastRun).toBeUndefined();
  });

  it('records a completed snapshot as its target’s newest, on the target', async () => {
    const h = await arrange(['orders']);
    await h.tick(SLOT);
    const [run] = await runsOf(h.runs, 'gold');
    h.gateway.complete(run?.snapshotName ?? '', 1024);

    await h.tick('2025-03-01T03:10:00.000Z');

    expect(await target(h, 'orders')).toMatchObject({
      lastRun: { slot: SLOT, status: 'AVAILABLE' },
      newestSnapshot: { slot: SLOT, snapshotName: run?.snapshotName },
    });
  });

  it('takes nothing for a retired target', async () => {
    const h = await arrange();
    await h.targets.table.retire({ policyId: 'gold', cacheName: 'cart' }, SLOT, 'the cache was deleted');

    await h.tick(SLOT);

    expect((await runsOf(h.runs, 'gold')).map((run) => run.cacheName)).toEqual(['orders']);
  });

  it('retires a due target whose policy was deleted or disabled, taking no slot', async () => {
    const h = await arrange();
    await h.policies.put({ ...GOLD, enabled: false, state: 'DISABLED' });

    await h.tick(SLOT);

    expect(await runsOf(h.runs, 'gold')).toEqual([]);
    expect(await target(h, 'orders')).toMatchObject({
      state: 'RETIRED',
      retiredReason: 'the policy is DISABLED',
    });
    await h.policies.delete('gold');
    await h.targets.table.enrol({ policyId: 'gold', cacheName: 'search', nextRunAt: SLOT, enrolledAt: SLOT });
    await h.tick('2025-03-01T03:01:00.000Z');
    expect(await target(h, 'search')).toMatchObject({
      state: 'RETIRED',
      retiredReason: 'the policy was deleted',
    });
  });

  it('starts at most one snapshot per cache, whatever the policy: a cacheName policy on a target cache waits', async () => {
    const h = await arrange(['orders']);
    await putActivePolicy(
      h.policies,
      { policyId: 'orders-daily', cacheName: 'orders', schedule: 'cron(0 3 * * ? *)' },
      SLOT,
    );

    await h.tick(SLOT);

    expect(h.gateway.createRequests).toHaveLength(1);
    const statuses = [...(await runsOf(h.runs, 'gold')), ...(await runsOf(h.runs, 'orders-daily'))].map(
      (run) => run.status,
    );
    expect(statuses.sort()).toEqual(['REQUESTED', 'RETRYING']);
  });

  it('keeps maxCount per target, and a retired target’s newest snapshot', async () => {
    const h = await arrange(['orders', 'cart']);
    for (const day of ['01', '02']) {
      const at = `2025-03-${day}T03:00:00.000Z`;
      await h.tick(at);
      for (const run of await runsOf(h.runs, 'gold')) {
        if (run.status === 'REQUESTED') h.gateway.complete(run.snapshotName, 1);
      }
      await h.tick(`2025-03-${day}T03:05:00.000Z`);
      if (day === '01') await h.targets.table.retire({ policyId: 'gold', cacheName: 'cart' }, at, 'deleted');
    }

    const byCache = (await runsOf(h.runs, 'gold')).map(
      (run) => `${run.cacheName}@${run.slot.slice(0, 10)}:${run.status}`,
    );
    expect(byCache.sort()).toEqual([
      'cart@2025-03-01:AVAILABLE',
      'orders@2025-03-01:PRUNED',
      'orders@2025-03-02:AVAILABLE',
    ]);
  });
});
