import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import { reconcilePolicies } from '#lib/sync/reconcile';
import type { Simulation } from '#local/simulation';
import { hourlyPolicy, simulationWithCaches } from '#test/integration/scheduler/support';

const START = new Date('2026-02-02T00:00:00.000Z');
const later = (minutes: number) => new Date(START.getTime() + minutes * MINUTE_MS);

describe('recovery point of each policy', () => {
  let sim: Simulation;
  afterEach(() => sim?.stop());

  it('records the newest available snapshot and reports the worst age once one cache stops taking snapshots', async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders', 'billing']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders'));
    await sim.putPolicy(hourlyPolicy('billing-hourly', 'billing'));
    await sim.tickThrough(START, later(65), 5 * MINUTE_MS);
    const orders = await sim.runtime.policies.get('orders-hourly');
    expect(orders?.newestSnapshot).toMatchObject({
      slot: later(60).toISOString(),
      availableAt: later(65).toISOString(),
    });

    // billing's cache stops taking snapshots: its recovery point ages while orders' stays fresh.
    sim.stack.emulator.setCacheStatus('billing', 'modifying');
    await sim.tickThrough(later(70), later(4 * 60 + 5), 5 * MINUTE_MS);
    const summary = await reconcilePolicies(sim.reconcileDeps());
    const billingNewest = (await sim.runtime.policies.get('billing-hourly'))?.newestSnapshot;
    expect(billingNewest?.takenAt).toBe(later(60).toISOString());
    expect(summary.maxNewestSnapshotAgeSeconds).toBe(
      (later(4 * 60 + 5).getTime() - later(60).getTime()) / 1000,
    );
    expect(summary.maxNewestSnapshotAgeSeconds).toBeGreaterThan((3 * HOUR_MS) / 1000 - 1);
  });
});
