import { afterEach, describe, expect, it, vi } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import { metrics } from '#lib/observability';
import type { RunRecord } from '#lib/runs/types';
import { reconcilePolicies } from '#lib/sync/reconcile';
import type { Simulation } from '#local/simulation';
import { bundleCli } from '#test/integration/cli/support/cli-process';
import { hourlyPolicy, simulationWithCaches } from '#test/integration/scheduler/support';

const START = new Date('2026-02-02T00:00:00.000Z');
const later = (minutes: number) => new Date(START.getTime() + minutes * MINUTE_MS);
const slot = (hour: number) => later(hour * 60).toISOString();

async function runsByHour(sim: Simulation): Promise<Map<string, RunRecord>> {
  const runs = new Map<string, RunRecord>();
  for await (const run of sim.runtime.runs.listByPolicy('orders-hourly')) runs.set(run.slot, run);
  return runs;
}

async function snapshotOf(sim: Simulation, hour: number): Promise<string> {
  const run = (await runsByHour(sim)).get(slot(hour));
  if (!run) throw new Error(`no run at hour ${hour}`);
  return run.snapshotName;
}

describe('snapshots deleted behind the orchestrator’s back', () => {
  let sim: Simulation;
  afterEach(async () => {
    vi.restoreAllMocks();
    await sim?.stop();
  });

  it('end GONE within one reconcile, status and the recovery point count only what exists, and no alarm loops', async () => {
    sim = await simulationWithCaches(later(-1), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders', { retention: { maxCount: 6 } }));
    await sim.tickThrough(START, later(4 * 60 + 5), 5 * MINUTE_MS);
    const added = vi.spyOn(metrics, 'addMetric');

    // Someone deletes the newest recovery point and an older one by hand.
    sim.stack.emulator.removeSnapshot(await snapshotOf(sim, 4));
    sim.stack.emulator.removeSnapshot(await snapshotOf(sim, 1));
    const summary = await reconcilePolicies(sim.reconcileDeps());

    const runs = await runsByHour(sim);
    expect(runs.get(slot(4))).toMatchObject({
      status: 'GONE',
      goneNoticedBy: 'reconcile',
      goneAt: later(245).toISOString(),
    });
    expect(runs.get(slot(1))).toMatchObject({ status: 'GONE', goneNoticedBy: 'reconcile' });
    expect([0, 2, 3].map((hour) => runs.get(slot(hour))?.status)).toEqual([
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
    ]);
    expect(summary.snapshotsGone).toBe(2);
    // The recovery point is the 03:00 snapshot now: 65 minutes old, and the RPO metric says so.
    expect(summary.maxNewestSnapshotAgeSeconds).toBe(65 * 60);
    const bundle = await bundleCli();
    const status = await bundle.run(['status', '--json'], { ...process.env, ...sim.stack.env });
    const [line] = JSON.parse(status.stdout) as { newestSnapshot?: { slot: string } }[];
    expect(line?.newestSnapshot?.slot).toBe(slot(3));

    // The oldest is deleted by hand too, just before retention comes to it: retention notices, no prune failure.
    sim.stack.emulator.removeSnapshot(await snapshotOf(sim, 0));
    await sim.tickThrough(later(4 * 60 + 10), later(9 * 60 + 5), 5 * MINUTE_MS);
    const again = await reconcilePolicies(sim.reconcileDeps());

    const after = await runsByHour(sim);
    expect(after.get(slot(0))).toMatchObject({ status: 'GONE', goneNoticedBy: 'retention' });
    expect(again.snapshotsGone).toBe(0);
    const recorded = added.mock.calls.map(([name]) => name);
    expect(recorded.filter((name) => name === 'SnapshotsGone')).toHaveLength(3);
    expect(recorded).not.toContain('PruneFailures');
    const available = [...after.values()].filter((run) => run.status === 'AVAILABLE');
    expect(available).toHaveLength(6);
    const kept = new Set(sim.stack.emulator.snapshots().map((snapshot) => snapshot.name));
    expect(available.every((run) => kept.has(run.snapshotName))).toBe(true);
  });
});
