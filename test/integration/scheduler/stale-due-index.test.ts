import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import type { Simulation } from '#local/simulation';
import { StaleDueIndex } from '#test/support/stale-due-index';
import { createCalls, hourlyPolicy, simulationWithCaches } from './support';

const SLOT = new Date('2026-05-04T10:00:00.000Z');

describe('a due index that lags on DynamoDB', () => {
  let sim: Simulation;
  afterEach(async () => {
    await sim?.stop();
  });

  it('takes nothing for a policy disabled just before its slot while the index item is still stale', async () => {
    sim = await simulationWithCaches(new Date(SLOT.getTime() - 30 * MINUTE_MS), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders'));
    const stale = new StaleDueIndex(sim.runtime.policies);
    await stale.freeze();
    // One minute before the slot the operator disables it; no stream record has been synced yet.
    sim.setTime(new Date(SLOT.getTime() - MINUTE_MS));
    const current = await sim.runtime.policies.get('orders-hourly');
    await sim.runtime.policies.put({
      ...current,
      ...hourlyPolicy('orders-hourly', 'orders'),
      enabled: false,
    });

    await sim.tick(SLOT, { policies: stale });

    expect(createCalls(sim)).toEqual([]);
    expect(await sim.allRuns()).toEqual([]);
    expect(await sim.runtime.policies.get('orders-hourly')).toMatchObject({ state: 'DISABLED' });
  });

  it('still takes the slot of a policy the index lists when nothing changed', async () => {
    sim = await simulationWithCaches(new Date(SLOT.getTime() - 30 * MINUTE_MS), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders'));
    const stale = new StaleDueIndex(sim.runtime.policies);
    await stale.freeze();

    await sim.tick(SLOT, { policies: stale });

    expect(createCalls(sim)).toHaveLength(1);
    expect((await sim.allRuns()).map((run) => run.status)).toEqual(['REQUESTED']);
  });
});
