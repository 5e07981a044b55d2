import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { applyRetention } from '#lib/lifecycle/retention';
import { parsePolicy } from '#lib/policy/parse-policy';
import type { Simulation } from '#local/simulation';
import { hourlyPolicy, simulationWithCaches } from '#test/integration/scheduler/support';

const START = new Date('2026-04-06T00:00:00.000Z');
const hoursLater = (hours: number) => new Date(START.getTime() + hours * HOUR_MS);

/** Snapshots of the cache, by the policy that made them ('' for snapshots no policy made). */
function snapshotsByPolicy(sim: Simulation): Map<string, string[]> {
  const byPolicy = new Map<string, string[]>();
  for (const snapshot of sim.stack.emulator.snapshots()) {
    const owner = snapshot.tags['snapshot-policy-id'] ?? '';
    byPolicy.set(owner, [...(byPolicy.get(owner) ?? []), snapshot.name]);
  }
  return byPolicy;
}

describe('retention', () => {
  let sim: Simulation;
  afterEach(() => sim?.stop());

  async function startWithBystanders() {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders']);
    sim.stack.emulator.seedSnapshot({
      name: 'before-migration',
      cacheName: 'orders',
      createTime: new Date(START.getTime() - 40 * DAY_MS),
    });
    sim.stack.emulator.seedSnapshot({
      name: 'nightly-auto',
      cacheName: 'orders',
      snapshotType: 'automated',
      createTime: new Date(START.getTime() - 2 * DAY_MS),
    });
  }

  it('keeps exactly the three newest of six hourly snapshots with maxCount 3, and nothing else is touched', async () => {
    await startWithBystanders();
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders', { retention: { maxCount: 3 } }));
    await sim.putPolicy(
      hourlyPolicy('orders-daily', 'orders', { schedule: 'cron(30 0 * * ? *)', retention: { maxCount: 1 } }),
    );
    await sim.tickThrough(START, hoursLater(5.5), 5 * MINUTE_MS);
    const byPolicy = snapshotsByPolicy(sim);
    expect(byPolicy.get('orders-hourly')?.sort()).toEqual(
      ['0300', '0400', '0500'].map((hhmm) => expect.stringContaining(`orders-20260406-${hhmm}-`)),
    );
    expect(byPolicy.get('orders-daily')).toHaveLength(1);
    expect(byPolicy.get('')?.sort()).toEqual(['before-migration', 'nightly-auto']);
    const runs = await sim.allRuns();
    const hourly = runs.filter((run) => run.policyId === 'orders-hourly');
    expect(hourly.map((run) => run.status)).toEqual([
      'PRUNED',
      'PRUNED',
      'PRUNED',
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
    ]);
    expect(hourly.filter((run) => run.status === 'PRUNED').every((run) => run.prunedAt !== undefined)).toBe(
      true,
    );
  });

  it('removes snapshots older than maxAgeDays but never below minCount', async () => {
    await startWithBystanders();
    const daily = hourlyPolicy('orders-daily', 'orders', {
      schedule: 'cron(0 1 * * ? *)',
      retention: { maxAgeDays: 2, minCount: 3 },
    });
    await sim.putPolicy(daily);
    await sim.tickThrough(START, hoursLater(4 * 24 + 2), 10 * MINUTE_MS);
    const runs = (await sim.allRuns()).filter((run) => run.policyId === 'orders-daily');
    // At 04-10 01:10 the 04-08 snapshot is past two days too, but it is one of the newest three.
    expect(runs.map((run) => `${run.slot.slice(5, 10)} ${run.status}`)).toEqual([
      '04-06 PRUNED',
      '04-07 PRUNED',
      '04-08 AVAILABLE',
      '04-09 AVAILABLE',
      '04-10 AVAILABLE',
    ]);
    // Ten days on with no new snapshot, every one is too old: retention still keeps the newest three.
    sim.setTime(hoursLater(14 * 24));
    expect(await applyRetention(sim.schedulerDeps(), parsePolicy(daily))).toBe(0);
    expect(snapshotsByPolicy(sim).get('orders-daily')).toHaveLength(3);
    expect(snapshotsByPolicy(sim).get('')?.sort()).toEqual(['before-migration', 'nightly-auto']);
  });

  it('never holds more than 25 snapshots of an hourly policy with maxCount 24 over a week, and every run ends AVAILABLE or PRUNED', async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders', { retention: { maxCount: 24 } }));
    let most = 0;
    await sim.tickThrough(START, hoursLater(7 * 24 - 0.5), 10 * MINUTE_MS, () => {
      most = Math.max(most, snapshotsByPolicy(sim).get('orders-hourly')?.length ?? 0);
    });
    const runs = await sim.allRuns();
    expect(runs).toHaveLength(7 * 24);
    expect(most).toBeLessThanOrEqual(25);
    expect(runs.filter((run) => !['AVAILABLE', 'PRUNED'].includes(run.status))).toEqual([]);
    expect(runs.filter((run) => run.status === 'AVAILABLE')).toHaveLength(24);
  }, 60_000);
});
