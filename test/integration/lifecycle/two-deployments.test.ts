import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { RunRecord } from '#lib/runs/types';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { Simulation } from '#local/simulation';
import { createCalls, hourlyPolicy, tagOf } from '#test/integration/scheduler/support';

const START = new Date('2026-06-01T00:00:00.000Z');
const DEV = 'cache-snapshot-orchestrator-dev';
const QA = 'cache-snapshot-orchestrator-qa';

async function runsOf(sim: Simulation): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for await (const run of sim.runtime.runs.listByPolicy('orders-3h')) runs.push(run);
  return runs;
}

function namesWith(runs: RunRecord[], status: RunRecord['status']): string[] {
  return runs
    .filter((run) => run.status === status)
    .map((run) => run.snapshotName)
    .sort();
}

describe('two deployments of the service on one account', () => {
  let dev: Simulation;
  afterEach(async () => {
    await dev?.stop();
  });

  it('each take their own snapshots for the same policy id and cache, keep their own maxCount, and never delete or adopt the other’s, over a simulated day', async () => {
    dev = await Simulation.start({
      start: START,
      deploymentName: DEV,
      emulator: { snapshotCompletionMs: 2 * MINUTE_MS },
    });
    dev.stack.emulator.seedCache({ name: 'orders' });
    const qa = await dev.addStage(QA, 'qa');
    // Every 3 hours: the two stages together stay within the cache's 24 manual snapshots a day.
    const every3h = { schedule: 'cron(0 0/3 * * ? *)' };
    await dev.putPolicy(hourlyPolicy('orders-3h', 'orders', { ...every3h, retention: { maxCount: 3 } }));
    await qa.putPolicy(hourlyPolicy('orders-3h', 'orders', { ...every3h, retention: { maxCount: 5 } }));

    // Both stages tick every 10 minutes for a day; the one cache takes one snapshot at a time, so at each
    // slot one of them is answered busy and retries a little later.
    for (
      let at = START;
      at < new Date(START.getTime() + 24 * HOUR_MS);
      at = new Date(at.getTime() + 10 * MINUTE_MS)
    ) {
      await dev.tick(at);
      await qa.tick(at);
    }

    const devRuns = await runsOf(dev);
    const qaRuns = await runsOf(qa);
    for (const runs of [devRuns, qaRuns]) {
      expect(runs).toHaveLength(8);
      expect(runs.filter((run) => !['AVAILABLE', 'PRUNED'].includes(run.status))).toEqual([]);
    }
    expect(namesWith(devRuns, 'AVAILABLE')).toHaveLength(3);
    expect(namesWith(qaRuns, 'AVAILABLE')).toHaveLength(5);

    // Their own snapshots: different names for the same policy, cache and slot, each made by its own Create.
    const devNames = new Set(devRuns.map((run) => run.snapshotName));
    expect(qaRuns.some((run) => devNames.has(run.snapshotName))).toBe(false);
    const createdBy = (deployment: string) =>
      new Set(
        createCalls(dev)
          .filter((call) => tagOf(call, MANAGED_TAGS.deployment) === deployment)
          .map((call) => String(call.params.ServerlessCacheSnapshotName)),
      );
    expect(devRuns.every((run) => createdBy(DEV).has(run.snapshotName))).toBe(true);
    expect(qaRuns.every((run) => createdBy(QA).has(run.snapshotName))).toBe(true);

    // What is left on the cache is exactly each deployment's kept snapshots, tagged with its own name:
    // neither deleted one the other keeps (no GONE, no SKIPPED above), and every deletion was of a pruned run.
    const left = dev.stack.emulator.snapshots();
    const leftOf = (deployment: string) =>
      left
        .filter((snapshot) => snapshot.tags[MANAGED_TAGS.deployment] === deployment)
        .map((snapshot) => snapshot.name)
        .sort();
    expect(left).toHaveLength(8);
    expect(leftOf(DEV)).toEqual(namesWith(devRuns, 'AVAILABLE'));
    expect(leftOf(QA)).toEqual(namesWith(qaRuns, 'AVAILABLE'));
    const deleted = dev.stack.emulator.calls
      .filter((call) => call.action === 'DeleteServerlessCacheSnapshot')
      .map((call) => String(call.params.ServerlessCacheSnapshotName))
      .sort();
    expect(deleted).toEqual([...namesWith(devRuns, 'PRUNED'), ...namesWith(qaRuns, 'PRUNED')].sort());
  }, 120_000);
});
