import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { RunRecord } from '#lib/runs/types';
import { Simulation } from '#local/simulation';
import { CREATE } from './support/audit';

const START = new Date('2026-03-02T00:00:00.000Z');
const CACHES = 100;
const TICKS_AT_ONCE = 5;
/** Two policies choose every cache: 200 targets. Their slots are two hours apart, so a cache is never asked twice at once. */
const POLICIES = [
  { policyId: 'fleet-a', schedule: 'cron(0 0/4 * * ? *)', targets: { tags: { fleet: 'yes' } } },
  { policyId: 'fleet-b', schedule: 'cron(0 2/4 * * ? *)', targets: { names: ['fleet-*'] } },
];
const ROUNDS = 1;

/**
 * The fleet part of the reliability suite: 200 targets (two targets policies over 100 caches), every slot
 * raced by identical ticks at once, and ticks cut short by their deadline: exactly one snapshot, one
 * CreateServerlessCacheSnapshot and one run per (policy, cache, slot).
 */
describe(`${TICKS_AT_ONCE} identical ticks at once over 200 targets`, () => {
  let sim: Simulation;
  const runs: RunRecord[] = [];

  beforeAll(async () => {
    sim = await Simulation.start({
      start: addMs(START, -MINUTE_MS),
      emulator: { snapshotCompletionMs: 30_000 },
    });
    for (let i = 0; i < CACHES; i += 1) {
      sim.stack.emulator.seedCache({ name: `fleet-${String(i).padStart(3, '0')}`, tags: { fleet: 'yes' } });
    }
    for (const policy of POLICIES) await sim.putPolicy(policy);
    sim.stack.emulator.resetCalls();
    for (let round = 0; round < ROUNDS * 2; round += 1) {
      const slot = addMs(START, round * 2 * HOUR_MS);
      // A tick that runs out of time at once (a crash before dispatch leaves claims for later), then races.
      await sim.tick(slot, { remainingMs: () => 0 });
      for (const minute of [0, 6]) {
        const at = addMs(slot, minute * MINUTE_MS);
        await Promise.all(Array.from({ length: TICKS_AT_ONCE }, () => sim.tick(at)));
      }
    }
    for (const policy of POLICIES) {
      for await (const run of sim.runtime.runs.listByPolicy(policy.policyId)) runs.push(run);
    }
  }, 600_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('makes one run per (policy, cache, slot), each one snapshot available', () => {
    const keys = runs.map((run) => `${run.policyId}/${run.cacheName}/${run.slot}`);

    expect(new Set(keys).size).toBe(keys.length);
    expect(runs).toHaveLength(CACHES * ROUNDS * 2);
    expect(runs.filter((run) => run.status !== 'AVAILABLE' && run.status !== 'REQUESTED')).toEqual([]);
  });

  it('calls CreateServerlessCacheSnapshot once per snapshot name', () => {
    const creates = sim.stack.emulator.calls.filter(
      (call) => call.action === CREATE && call.outcome === 'ok',
    );
    const names = creates.map((call) => String(call.params.ServerlessCacheSnapshotName));

    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set(runs.map((run) => run.snapshotName)));
  });
});
