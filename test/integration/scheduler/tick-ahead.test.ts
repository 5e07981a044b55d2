import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import { runTick } from '#lib/scheduler/tick';
import type { Simulation } from '#local/simulation';
import { hourlyPolicy, simulationWithCaches } from './support';

const TODAY = new Date('2026-03-10T09:00:00.000Z');
const TOMORROW = new Date(TODAY.getTime() + 24 * HOUR_MS);
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** Slot and status of every run, oldest first per policy. */
async function ledger(sim: Simulation): Promise<string[]> {
  return (await sim.allRuns()).map((run) => `${run.policyId} ${run.slot} ${run.status}`);
}

describe('a tick asked for tomorrow', () => {
  let sim: Simulation;
  afterEach(async () => {
    await sim?.stop();
  });

  /** Today's 09:00 slot taken, its snapshot creating for 36 hours; a policy whose last slot is today 12:00. */
  async function today(): Promise<Simulation> {
    const started = await simulationWithCaches(plus(TODAY, -MINUTE_MS), ['orders', 'catalog'], 36 * HOUR_MS);
    await started.putPolicy(hourlyPolicy('orders-hourly', 'orders'));
    await started.putPolicy(
      hourlyPolicy('catalog-last', 'catalog', { schedule: 'cron(0 9,12 10 3 ? 2026)' }),
    );
    await started.tick(TODAY);
    await started.tick(plus(TODAY, 5 * MINUTE_MS));
    return started;
  }

  it('changes nothing when only its event time is tomorrow: no slot later than its clock is recorded, taken or skipped', async () => {
    sim = await today();
    const before = await ledger(sim);
    const policiesBefore = await Promise.all(
      ['orders-hourly', 'catalog-last'].map((id) => sim.runtime.policies.get(id)),
    );

    await runTick(sim.schedulerDeps(), { at: TOMORROW, tickId: 'ahead' });

    expect(await ledger(sim)).toEqual(before);
    expect(
      await Promise.all(['orders-hourly', 'catalog-last'].map((id) => sim.runtime.policies.get(id))),
    ).toEqual(policiesBefore);
  });

  it('on a clock simulated to tomorrow, fails no run whose snapshot is still creating, records nothing after that clock, and leaves no ACTIVE policy without a next run', async () => {
    sim = await today();
    const at = plus(TOMORROW, 5 * MINUTE_MS);

    await sim.tick(at);

    const runs = await sim.allRuns();
    expect(runs.every((run) => run.slot <= at.toISOString())).toBe(true);
    expect(runs.filter((run) => run.status === 'FAILED')).toEqual([]);
    // Today's snapshots are still creating, a day on: the runs wait for them.
    const first = runs.filter((run) => run.slot === TODAY.toISOString());
    expect(first.map((run) => [run.policyId, run.status]).sort()).toEqual([
      ['catalog-last', 'REQUESTED'],
      ['orders-hourly', 'REQUESTED'],
    ]);
    expect(await sim.runtime.policies.get('orders-hourly')).toMatchObject({
      state: 'ACTIVE',
      nextRunAt: plus(TOMORROW, HOUR_MS).toISOString(),
    });
    const ended = await sim.runtime.policies.get('catalog-last');
    expect(ended).toMatchObject({
      state: 'DISABLED',
      stateReason: expect.stringContaining('no future slot'),
    });
    expect(ended?.nextRunAt).toBeUndefined();
  });
});
