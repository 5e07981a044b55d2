import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '#lib/errors';
import type { RunStore } from '#lib/runs/run-store';
import type { RunRecord } from '#lib/runs/types';
import type { Simulation } from '#local/simulation';
import { exportSimulation, exportSummary, hoursLater, runsOf, START, TICK_MS } from './support';

/** The simulation's run store, except that the write recording an accepted export call fails `times` times. */
function crashingAfterExportCall(runs: RunStore, times: number): RunStore & { crashes: number } {
  const store = {
    crashes: 0,
    get: (key: Parameters<RunStore['get']>[0]) => runs.get(key),
    create: (run: RunRecord) => runs.create(run),
    listOpen: (at: string) => runs.listOpen(at),
    listByPolicy: (policyId: string, query?: Parameters<RunStore['listByPolicy']>[1]) =>
      runs.listByPolicy(policyId, query),
    async transition(next: RunRecord, expected: Parameters<RunStore['transition']>[1]) {
      if (next.export?.startedAt !== undefined && store.crashes < times) {
        const stored = await runs.get(next);
        if (stored?.export?.startedAt === undefined) {
          store.crashes += 1;
          throw new StoreError('the tick died before it recorded the export call (scripted)');
        }
      }
      return runs.transition(next, expected);
    },
  };
  return store;
}

describe('exports under crashes and faults (local stack, real SDK): none lost, none made twice', () => {
  let sim: Simulation | undefined;
  afterEach(() => sim?.stop());

  it('finishes an export whose call went through but was never recorded, without exporting the snapshot again', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1' });
    await sim.putPolicy({
      policyId: 'orders-hourly',
      cacheName: 'orders',
      schedule: 'cron(0 * * * ? *)',
      export: { bucket: 'orders-exports' },
    });
    const runs = crashingAfterExportCall(sim.runtime.runs, 1);
    for (let at = START; at <= hoursLater(0.75); at = new Date(at.getTime() + TICK_MS)) {
      await sim.tick(at, { runs });
    }

    expect(runs.crashes).toBe(1);
    const [run] = await runsOf(sim, 'orders-hourly');
    expect(run?.export?.status).toBe('EXPORTED');
    expect(run?.export?.key).toBe(`${run?.snapshotName}-0001.rdb`);
    expect(sim.stack.emulator.exports()).toHaveLength(1);
  });

  it('exports every snapshot of 6 caches exactly once while a third of export and describe calls fail', async () => {
    sim = await exportSimulation({ 'fleet-exports': 'us-east-1', 'fleet-dr': 'eu-west-1' });
    const caches = Array.from({ length: 6 }, (_, i) => `cache-${String(i).padStart(2, '0')}`);
    for (const name of caches) {
      sim.stack.emulator.seedCache({ name, bytesUsed: 2048 });
      await sim.putPolicy({
        policyId: `p-${name}`,
        cacheName: name,
        schedule: 'cron(0 * * * ? *)',
        export: { bucket: 'fleet-exports', replicateTo: { bucket: 'fleet-dr', region: 'eu-west-1' } },
      });
    }
    sim.stack.emulator.scriptFaults('ExportServerlessCacheSnapshot', [
      { kind: 'drop', afterEffect: true },
      { kind: 'drop', afterEffect: true },
    ]);
    sim.stack.emulator.setRandomFaults({
      rate: 0.33,
      seed: 11,
      kinds: ['throttling', 'http500', 'drop'],
      actions: ['ExportServerlessCacheSnapshot', 'DescribeServerlessCacheSnapshots'],
    });
    await sim.tickThrough(START, hoursLater(1.25), TICK_MS);
    sim.stack.emulator.setRandomFaults(undefined);
    await sim.tickThrough(hoursLater(1.25 + 1 / 12), hoursLater(2.5), TICK_MS);

    const failedExportCalls = sim.stack.emulator.calls.filter(
      (call) => call.action === 'ExportServerlessCacheSnapshot' && call.outcome !== 'ok',
    );
    expect(failedExportCalls.length).toBeGreaterThan(2);
    const all: RunRecord[] = [];
    for (const name of caches) all.push(...(await runsOf(sim, `p-${name}`)));
    const made = all.filter((run) => run.status === 'AVAILABLE');
    expect(made.length).toBeGreaterThanOrEqual(caches.length * 2);
    expect(exportSummary(made).filter((line) => !line.endsWith('REPLICATED'))).toEqual([]);
    const exported = sim.stack.emulator.exports().map((made) => made.snapshotName);
    expect(new Set(exported).size).toBe(exported.length);
    expect(new Set(exported)).toEqual(new Set(made.map((run) => run.snapshotName)));
  });
});
