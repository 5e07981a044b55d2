import { afterEach, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { Simulation } from '#local/simulation';
import { runsOf } from '#test/support/run-builders';

const DAY1 = new Date('2026-02-02T00:00:00.000Z');
const at = (hours: number, minutes = 0) => addMs(DAY1, hours * HOUR_MS + minutes * MINUTE_MS);

/** `cache@HH:MM:status` of the policy's runs, by cache then slot. */
async function lines(sim: Simulation): Promise<string[]> {
  return (await runsOf(sim.runtime.runs, 'gold')).map(
    (run) => `${run.cacheName}@${run.slot.slice(8, 16)}:${run.status}`,
  );
}

/** Each slot's tick, and one 5 minutes later that sees its snapshots available. */
async function slots(sim: Simulation, hours: readonly number[]): Promise<void> {
  for (const hour of hours) {
    await sim.tick(at(hour));
    await sim.tick(at(hour, 5));
  }
}

/**
 * A retired target on the local stack through the real SDK: its cache deleted, it takes no new slot, and
 * retention goes on over its snapshots as the policy's other targets take theirs, never below `minCount`:
 * a deleted cache's last recovery points stay.
 */
describe('a retired target', () => {
  let sim: Simulation;
  afterEach(async () => {
    await sim?.stop();
  });

  it('takes no new runs and keeps its newest minCount snapshots while retention prunes the older ones', async () => {
    sim = await Simulation.start({ start: at(0, -1), emulator: { snapshotCompletionMs: MINUTE_MS } });
    const { emulator } = sim.stack;
    emulator.seedCache({ name: 'orders', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'cart', tags: { tier: 'gold' } });
    await sim.putPolicy({
      policyId: 'gold',
      schedule: 'cron(0 0/6 * * ? *)',
      targets: { tags: { tier: 'gold' } },
      retention: { maxAgeDays: 1, minCount: 2 },
    });
    await slots(sim, [0, 6, 12]);

    emulator.removeCache('cart');
    sim.setTime(at(13));
    expect(await reconcilePolicies(sim.reconcileDeps())).toMatchObject({ targetsRetired: 1 });
    await slots(sim, [18, 24, 30, 36]);

    expect(await lines(sim)).toEqual([
      // cart's 00:00 is older than maxAgeDays and beyond minCount: pruned; its two newest stay past their age.
      'cart@02T00:00:PRUNED',
      'cart@02T06:00:AVAILABLE',
      'cart@02T12:00:AVAILABLE',
      'orders@02T00:00:PRUNED',
      'orders@02T06:00:PRUNED',
      'orders@02T12:00:PRUNED',
      'orders@02T18:00:AVAILABLE',
      'orders@03T00:00:AVAILABLE',
      'orders@03T06:00:AVAILABLE',
      'orders@03T12:00:AVAILABLE',
    ]);
    const names = new Set(emulator.snapshots().map((snapshot) => snapshot.name));
    for await (const run of sim.runtime.runs.listByPolicy('gold', { cacheName: 'cart' })) {
      expect(names.has(run.snapshotName), run.slot).toBe(run.status === 'AVAILABLE');
    }
    expect(await sim.runtime.targets.table.get({ policyId: 'gold', cacheName: 'cart' })).toMatchObject({
      state: 'RETIRED',
      newestSnapshot: { slot: at(12).toISOString() },
    });
  });
});
