import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import type { Simulation } from '#local/simulation';
import {
  exportingPolicy,
  exportSimulation,
  exportSummary,
  hoursLater,
  runsOf,
  START,
  TICK_MS,
} from './support';

const exportCalls = (s: Simulation) =>
  s.stack.emulator.calls.filter((call) => call.action === 'ExportServerlessCacheSnapshot');

describe('export faults on the local stack (emulator, local S3, real SDK)', () => {
  let sim: Simulation | undefined;
  afterEach(() => sim?.stop());

  it('ends FAILED with the code and a reason naming the bucket when the bucket was deleted after the policy was written, one call each', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1' });
    await sim.putPolicy(exportingPolicy('orders-hourly', { bucket: 'orders-exports' }));
    await sim.stack.s3?.removeBucket('orders-exports');
    await sim.tickThrough(START, hoursLater(1.75), TICK_MS);

    const runs = await runsOf(sim, 'orders-hourly');
    expect(exportSummary(runs)).toEqual(['00:00 FAILED', '01:00 FAILED']);
    expect(runs[0]?.status).toBe('AVAILABLE');
    expect(runs[0]?.export?.lastError?.code).toBe('InvalidParameterValue');
    expect(runs[0]?.export?.lastError?.message).toContain('"orders-exports"');
    expect(runs[0]?.export?.lastError?.message).toContain('does not exist');
    expect(exportCalls(sim)).toHaveLength(2);
    const open = [];
    for await (const run of sim.runtime.runs.listOpen(hoursLater(30).toISOString())) open.push(run);
    expect(open.filter((run) => run.export)).toEqual([]);
  });

  it('ends FAILED naming the bucket when ElastiCache may not write to it', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1' });
    sim.stack.emulator.denyExportWrites('orders-exports');
    await sim.putPolicy(exportingPolicy('orders-hourly', { bucket: 'orders-exports' }));
    await sim.tickThrough(START, hoursLater(0.5), TICK_MS);

    const [run] = await runsOf(sim, 'orders-hourly');
    expect(run?.export?.status).toBe('FAILED');
    expect(run?.export?.lastError?.message).toContain('WRITE permissions orders-exports');
  });

  it('retries a busy snapshot on a later tick and then exports it once', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1' });
    const busy = {
      kind: 'fault' as const,
      code: 'InvalidServerlessCacheSnapshotStateFault',
      message: 'Snapshot is in copying state.',
    };
    sim.stack.emulator.scriptFaults('ExportServerlessCacheSnapshot', [busy, busy]);
    await sim.putPolicy(exportingPolicy('orders-hourly', { bucket: 'orders-exports' }));
    await sim.tickThrough(START, new Date(START.getTime() + TICK_MS), TICK_MS);
    const [waiting] = await runsOf(sim, 'orders-hourly');
    expect(waiting?.export).toMatchObject({
      status: 'EXPORTING',
      attempts: 0,
      lastError: { code: 'InvalidServerlessCacheSnapshotStateFault' },
    });
    expect(waiting?.nextCheckAt).toBeDefined();

    await sim.tickThrough(new Date(START.getTime() + 2 * TICK_MS), hoursLater(0.9), TICK_MS);
    const [done] = await runsOf(sim, 'orders-hourly');
    expect(done?.export?.status).toBe('EXPORTED');
    expect(done?.export?.attempts).toBe(1);
    expect(done?.export?.lastError).toBeUndefined();
    expect(exportCalls(sim).map((call) => call.outcome)).toEqual([
      'InvalidServerlessCacheSnapshotStateFault',
      'InvalidServerlessCacheSnapshotStateFault',
      'ok',
    ]);
    expect(sim.stack.emulator.exports()).toHaveLength(1);
  });

  it('calls the export again when one ends without an object, and records the second', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1' });
    sim.stack.emulator.failNextExports(1);
    await sim.putPolicy(exportingPolicy('orders-hourly', { bucket: 'orders-exports' }));
    await sim.tickThrough(START, hoursLater(0.75), TICK_MS);

    const [run] = await runsOf(sim, 'orders-hourly');
    expect(run?.export).toMatchObject({ status: 'EXPORTED', attempts: 2 });
    expect(sim.stack.emulator.exports().map((made) => made.status)).toEqual(['failed', 'completed']);
  });

  it('ends FAILED ExportObjectMissing after the most export calls, each ending without an object', async () => {
    sim = await exportSimulation(
      { 'orders-exports': 'us-east-1' },
      { exportSettings: { maxAttempts: 2, pollMs: 5 * MINUTE_MS } },
    );
    sim.stack.emulator.failNextExports(5);
    await sim.putPolicy(exportingPolicy('orders-hourly', { bucket: 'orders-exports' }));
    await sim.tickThrough(START, hoursLater(0.9), TICK_MS);

    const [run] = await runsOf(sim, 'orders-hourly');
    expect(run?.export?.status).toBe('FAILED');
    expect(run?.export?.lastError?.code).toBe('ExportObjectMissing');
    expect(exportCalls(sim)).toHaveLength(2);
  });
});
