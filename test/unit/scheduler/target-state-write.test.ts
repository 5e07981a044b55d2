import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeSpecHash } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const NEXT = '2025-03-01T11:00:00.000Z';
const ORDERS = policyItem('orders-hourly');
const GOLD: PolicyItem = { policyId: 'gold', schedule: 'rate(1 hour)', targets: { tags: { tier: 'gold' } } };

/** A harness whose target-state writes are counted: each store method the TargetStore writes through. */
function arrange() {
  const h = new SchedulerHarness({ start: SLOT, caches: ['orders', 'cart'] });
  const writes = {
    policyAdvance: vi.spyOn(h.policies, 'advanceNextRun'),
    policySummaries: vi.spyOn(h.policies, 'recordTargetSummaries'),
    tableAdvance: vi.spyOn(h.targets.table, 'advance'),
    tableSummaries: vi.spyOn(h.targets.table, 'recordSummaries'),
  };
  const count = () => Object.values(writes).reduce((total, spy) => total + spy.mock.calls.length, 0);
  return { h, writes, count };
}

async function putGold(h: SchedulerHarness) {
  await h.policies.put({ ...GOLD, state: 'ACTIVE', specHash: computeSpecHash(GOLD) });
  await h.targets.table.enrol({ policyId: 'gold', cacheName: 'cart', nextRunAt: SLOT, enrolledAt: SLOT });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the one write of a target’s state per slot', () => {
  it('advances a cacheName policy’s nextRunAt and records its lastRun in one UpdateItem', async () => {
    const { h, writes, count } = arrange();
    await putActivePolicy(h.policies, ORDERS, SLOT);

    await h.tick(SLOT);

    expect(count()).toBe(1);
    expect(writes.policyAdvance).toHaveBeenCalledTimes(1);
    expect(await h.policies.get('orders-hourly')).toMatchObject({
      nextRunAt: NEXT,
      lastRun: { slot: SLOT, status: 'REQUESTED' },
    });
  });

  it('advances a targets-table target and records its lastRun in one UpdateItem', async () => {
    const { h, writes, count } = arrange();
    await putGold(h);

    await h.tick(SLOT);

    expect(count()).toBe(1);
    expect(writes.tableAdvance).toHaveBeenCalledTimes(1);
    expect(await h.targets.table.get({ policyId: 'gold', cacheName: 'cart' })).toMatchObject({
      nextRunAt: NEXT,
      lastRun: { slot: SLOT, status: 'REQUESTED' },
    });
  });

  it('still advances, with the failure as lastRun, when the Create fails for good', async () => {
    const { h, count } = arrange();
    await putActivePolicy(h.policies, ORDERS, SLOT);
    h.gateway.failNext('createSnapshot', serviceFault('terminal'));

    await h.tick(SLOT);

    expect(count()).toBe(1);
    expect(await h.policies.get('orders-hourly')).toMatchObject({
      nextRunAt: NEXT,
      lastRun: { slot: SLOT, status: 'FAILED' },
    });
  });

  it('still advances when the Create throws something no fault class covers', async () => {
    const { h } = arrange();
    await putActivePolicy(h.policies, ORDERS, SLOT);
    vi.spyOn(h.gateway, 'createSnapshot').mockRejectedValueOnce(new TypeError('a bug'));

    await h.tick(SLOT);

    expect(await h.nextRunAt('orders-hourly')).toBe(NEXT);
  });

  it('records lastRun on its own when another tick moved nextRunAt while the Create was in flight', async () => {
    const { h } = arrange();
    await putActivePolicy(h.policies, ORDERS, SLOT);
    const create = h.gateway.createSnapshot.bind(h.gateway);
    vi.spyOn(h.gateway, 'createSnapshot').mockImplementationOnce(async (request) => {
      await h.policies.advanceNextRun('orders-hourly', SLOT, NEXT);
      return create(request);
    });

    await h.tick(SLOT);

    expect(await h.policies.get('orders-hourly')).toMatchObject({
      nextRunAt: NEXT,
      lastRun: { slot: SLOT, status: 'REQUESTED' },
    });
  });

  it('advances a target whose slot a tick that died before its advance had claimed, without a second claim', async () => {
    const { h } = arrange();
    await putActivePolicy(h.policies, ORDERS, SLOT);
    await h.runs.create(claimedRunOf(policyOf(ORDERS), SLOT, 'died-tick', SLOT));

    await h.tick('2025-03-01T10:01:00.000Z');

    expect(h.gateway.createRequests).toEqual([]);
    expect(await h.nextRunAt('orders-hourly')).toBe(NEXT);
  });

  it('advances a slot whose start window closed with its MISSED record as lastRun, in one write', async () => {
    const { h, count } = arrange();
    await putActivePolicy(h.policies, ORDERS, SLOT);

    await h.tick('2025-03-01T10:45:00.000Z');

    expect(count()).toBe(1);
    expect(await h.policies.get('orders-hourly')).toMatchObject({
      nextRunAt: NEXT,
      lastRun: { slot: SLOT, status: 'MISSED', errorCode: 'StartWindowClosed' },
    });
  });
});
