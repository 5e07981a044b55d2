import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import type { Simulation } from '#local/simulation';
import { createCalls, hourlyPolicy, simulationWithCaches } from './support';

const START = new Date('2026-05-04T09:00:00.000Z');

describe('duplicate and concurrent delivery of one tick event', () => {
  let sim: Simulation;

  beforeAll(async () => {
    const caches = Array.from({ length: 12 }, (_, i) => `cache-${i}`);
    sim = await simulationWithCaches(START, caches);
    for (const [i, cache] of caches.entries()) await sim.putPolicy(hourlyPolicy(`policy-${i}`, cache));
  });

  afterAll(() => sim?.stop());

  it('creates one snapshot per slot when the same event arrives five times at once', async () => {
    for (let hour = 0; hour < 3; hour += 1) {
      const at = new Date(START.getTime() + hour * 60 * MINUTE_MS);
      await Promise.all(Array.from({ length: 5 }, () => sim.tick(at)));
      await Promise.all(Array.from({ length: 5 }, () => sim.tick(new Date(at.getTime() + 5 * MINUTE_MS))));
    }
    const calls = createCalls(sim);
    const names = calls.map((call) => call.params.ServerlessCacheSnapshotName);
    expect(calls).toHaveLength(36);
    expect(new Set(names).size).toBe(36);
    expect(calls.every((call) => call.outcome === 'ok')).toBe(true);
    const runs = await sim.allRuns();
    expect(runs).toHaveLength(36);
    expect(runs.every((run) => run.attempts === 1 && run.status === 'AVAILABLE')).toBe(true);
  });
});
