import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import type { RunRecord } from '#lib/runs/types';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { Simulation } from '#local/simulation';

const START = new Date('2026-02-02T02:00:00.000Z');
const at = (hours: number, minutes = 0) => new Date(START.getTime() + (hours * 60 + minutes) * MINUTE_MS);

async function runsOf(sim: Simulation, policyId: string): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for await (const run of sim.runtime.runs.listByPolicy(policyId)) runs.push(run);
  return runs;
}

const lines = (runs: readonly RunRecord[]) =>
  runs.map((run) => `${run.cacheName}@${run.slot.slice(5, 16)}:${run.status}`).sort();

/**
 * A targets policy on the local stack through the real SDK (emulator caches with tags): enrolment when it
 * is written, a snapshot per target and slot, a cache created and one deleted between reconciles, and the
 * opt-out tag, which a selector honours and an explicit cacheName policy does not.
 */
describe('a fleet under a targets policy', () => {
  let sim: Simulation;
  afterEach(async () => {
    await sim?.stop();
  });

  it('enrols, snapshots each target, enrols a new cache and retires a deleted one within one reconcile, keeping its recovery point', async () => {
    sim = await Simulation.start({ start: at(-1), emulator: { snapshotCompletionMs: 2 * MINUTE_MS } });
    const { emulator } = sim.stack;
    emulator.seedCache({ name: 'orders', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'cart', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'legacy', tags: { tier: 'gold', 'snapshot-orchestrator-exclude': 'true' } });
    emulator.seedCache({ name: 'search', tags: { tier: 'silver' } });
    await sim.putPolicy({
      policyId: 'gold',
      schedule: 'cron(0 3 * * ? *)',
      targets: { tags: { tier: 'gold' } },
      retention: { maxCount: 1, minCount: 1 },
    });
    await sim.putPolicy({ policyId: 'legacy-daily', schedule: 'cron(0 4 * * ? *)', cacheName: 'legacy' });

    await sim.tickThrough(at(1), at(2, 10), 5 * MINUTE_MS);
    expect(lines(await runsOf(sim, 'gold'))).toEqual([
      'cart@02-02T03:00:AVAILABLE',
      'orders@02-02T03:00:AVAILABLE',
    ]);
    expect(lines(await runsOf(sim, 'legacy-daily'))).toEqual(['legacy@02-02T04:00:AVAILABLE']);

    // Between reconciles: a cache is created with the tier, another is deleted (its snapshot stays).
    emulator.seedCache({ name: 'ledger', tags: { tier: 'gold' } });
    emulator.removeCache('cart');
    sim.setTime(at(3));
    const summary = await reconcilePolicies(sim.reconcileDeps());
    // The worst recovery point is a target's (orders, taken 2 h ago), not the policy item's (no snapshot of its own).
    expect(summary).toMatchObject({
      targetsEnrolled: 1,
      targetsRetired: 1,
      unprotectedCaches: 1,
      maxNewestSnapshotAgeSeconds: 2 * 3600,
    });
    expect(await sim.runtime.targets.table.get({ policyId: 'gold', cacheName: 'cart' })).toMatchObject({
      state: 'RETIRED',
      retiredReason: 'the cache no longer exists in the account and region',
      newestSnapshot: { slot: at(1).toISOString() },
    });

    await sim.tickThrough(at(24, 55), at(25, 10), 5 * MINUTE_MS);
    expect(lines(await runsOf(sim, 'gold'))).toEqual([
      'cart@02-02T03:00:AVAILABLE',
      'ledger@02-03T03:00:AVAILABLE',
      'orders@02-02T03:00:PRUNED',
      'orders@02-03T03:00:AVAILABLE',
    ]);
    const [cartRun] = (await runsOf(sim, 'gold')).filter((run) => run.cacheName === 'cart');
    expect(emulator.snapshots().map((snapshot) => snapshot.name)).toContain(cartRun?.snapshotName);
  });
});
