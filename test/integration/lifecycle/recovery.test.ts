import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import type { Simulation } from '#local/simulation';
import {
  createCalls,
  hourlyPolicy,
  onlyRun,
  simulationWithCaches,
} from '#test/integration/scheduler/support';

const START = new Date('2026-09-07T00:00:00.000Z');
const minutesLater = (minutes: number) => new Date(START.getTime() + minutes * MINUTE_MS);
const QUOTA = 'ServerlessCacheSnapshotQuotaExceededFault';

describe('quota faults, vanished snapshots and failed deletions', () => {
  let sim: Simulation;
  afterEach(() => sim?.stop());

  it('recovers from a quota fault in the same tick by pruning what retention allows', async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders', { retention: { maxCount: 3 } }));
    await sim.tickThrough(START, minutesLater(3 * 60 - 10), 10 * MINUTE_MS);
    expect(sim.stack.emulator.snapshots()).toHaveLength(3);
    // The account is now at its snapshot quota: the next Create fails unless one of ours goes first.
    sim.stack.emulator.scriptFaults('CreateServerlessCacheSnapshot', [{ kind: 'fault', code: QUOTA }]);
    await sim.tick(minutesLater(180));
    const runs = await sim.allRuns();
    expect(runs.map((run) => run.status)).toEqual(['PRUNED', 'AVAILABLE', 'AVAILABLE', 'REQUESTED']);
    expect(runs[3]?.attempts).toBe(2);
    expect(
      createCalls(sim)
        .slice(-2)
        .map((call) => call.outcome),
    ).toEqual([QUOTA, 'ok']);
  });

  it('ends FAILED with the quota code after the start window when there is nothing to prune', async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders']);
    for (let i = 0; i < 24; i += 1) {
      sim.stack.emulator.seedSnapshot({
        name: `by-hand-${i}`,
        cacheName: 'orders',
        createTime: minutesLater(12 * 60 - 50 * (i + 1)),
      });
    }
    await sim.putPolicy(
      hourlyPolicy('orders-hourly', 'orders', { schedule: 'cron(0 12 * * ? *)', startWindowMinutes: 30 }),
    );
    await sim.tickThrough(minutesLater(12 * 60 - 5), minutesLater(12 * 60 + 45), MINUTE_MS);
    const run = await onlyRun(sim, 'orders-hourly');
    expect(run).toMatchObject({ status: 'FAILED', lastError: { code: QUOTA } });
    expect(run.attempts).toBeGreaterThan(1);
    expect(createCalls(sim).every((call) => call.outcome === QUOTA)).toBe(true);
    expect(sim.stack.emulator.snapshots()).toHaveLength(24);
  });

  it('records FAILED with a reason when a snapshot vanishes while it is being made', async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders'], 10 * MINUTE_MS);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders'));
    await sim.tick(START);
    const requested = await onlyRun(sim, 'orders-hourly');
    expect(requested.status).toBe('REQUESTED');
    sim.stack.emulator.removeSnapshot(requested.snapshotName);
    for (let minute = 1; minute <= 5; minute += 1) await sim.tick(minutesLater(minute));
    expect(await onlyRun(sim, 'orders-hourly')).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'SnapshotVanished', message: expect.stringContaining(requested.snapshotName) },
    });
  });

  it('retries a deletion that failed with a fault on a later tick until it completes', async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - MINUTE_MS), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders', { retention: { maxCount: 1 } }));
    await sim.tickThrough(START, minutesLater(50), 10 * MINUTE_MS);
    sim.stack.emulator.scriptFaults('DeleteServerlessCacheSnapshot', [
      { kind: 'fault', code: 'InvalidServerlessCacheSnapshotStateFault' },
    ]);
    await sim.tick(minutesLater(60));
    await sim.tick(minutesLater(65)); // the second snapshot is available: retention deletes the first
    const [first] = await sim.allRuns();
    expect(first).toMatchObject({
      status: 'PRUNING',
      lastError: { code: 'InvalidServerlessCacheSnapshotStateFault' },
    });
    await sim.tickThrough(minutesLater(70), minutesLater(100), 5 * MINUTE_MS);
    const runs = await sim.allRuns();
    expect(runs.map((run) => run.status)).toEqual(['PRUNED', 'AVAILABLE']);
    expect(sim.stack.emulator.snapshots().map((snapshot) => snapshot.name)).toEqual([runs[1]?.snapshotName]);
  });
});
