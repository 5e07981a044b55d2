import { describe, expect, it } from 'vitest';
import { waitForRun } from '#cli/commands/snapshot-wait';
import type { RunRecord } from '#lib/runs/types';
import { takeOnDemandSnapshot } from '#lib/scheduler/on-demand';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

async function requestedRun() {
  const h = new SchedulerHarness({ start: '2025-03-01T10:17:42.000Z' });
  await putActivePolicy(h.policies, policyItem('orders-hourly'), '2025-03-01T11:00:00.000Z');
  const result = await takeOnDemandSnapshot(h.deps, { policyId: 'orders-hourly', keep: false, owner: 'cli' });
  if (result.outcome === 'refused') throw new Error(result.reason);
  return { h, run: result.run };
}

describe('waitForRun', () => {
  it('follows a requested snapshot with the completion pass until it is AVAILABLE, reporting each look', async () => {
    const { h, run } = await requestedRun();
    const seen: string[] = [];
    const report = (look: RunRecord) => seen.push(look.status);
    const sleep = async (ms: number) => {
      await h.time.sleep(ms);
      if (seen.length === 2) h.gateway.complete(run.snapshotName, 2048);
    };

    const done = await waitForRun(h.deps, run, { pollMs: 15_000, timeoutMs: 600_000, report }, sleep, () =>
      h.time.now().getTime(),
    );

    expect(done).toMatchObject({ status: 'AVAILABLE', bytesUsedForCache: 2048 });
    expect(seen).toEqual(['REQUESTED', 'REQUESTED', 'AVAILABLE']);
  });

  it('gives up after the timeout, leaving the run to the scheduler', async () => {
    const { h, run } = await requestedRun();
    const options = { pollMs: 60_000, timeoutMs: 120_000, report: () => undefined };

    const waiting = waitForRun(h.deps, run, options, h.time.sleep, () => h.time.now().getTime());

    await expect(waiting).rejects.toThrow(`snapshot ${run.snapshotName} is still REQUESTED after 2m`);
    expect(await h.run('orders-hourly', run.slot, 'ON_DEMAND')).toMatchObject({ status: 'REQUESTED' });
  });
});
