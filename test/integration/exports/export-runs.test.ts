import { GetObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('exports on the local stack (emulator, local S3, real SDK)', () => {
  let sim: Simulation | undefined;
  afterEach(() => sim?.stop());

  async function tagsOf(s: Simulation, bucket: string, key: string) {
    const client = new S3Client({
      endpoint: s.stack.s3?.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
    });
    try {
      const output = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return Object.fromEntries((output.TagSet ?? []).map((tag) => [tag.Key, tag.Value]));
    } finally {
      client.destroy();
    }
  }

  it('exports every 2nd snapshot, tags its object, copies it to the replica bucket and records REPLICATED', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1', 'orders-dr': 'eu-west-1' });
    await sim.putPolicy(
      exportingPolicy('orders-hourly', {
        bucket: 'orders-exports',
        every: 2,
        replicateTo: { bucket: 'orders-dr', region: 'eu-west-1' },
      }),
    );
    await sim.tickThrough(START, hoursLater(3.75), TICK_MS);

    const runs = await runsOf(sim, 'orders-hourly');
    expect(exportSummary(runs)).toEqual(['00:00 REPLICATED', '01:00 -', '02:00 REPLICATED', '03:00 -']);
    const first = runs[0]?.export;
    expect(first).toMatchObject({
      bucket: 'orders-exports',
      key: `${runs[0]?.snapshotName}-0001.rdb`,
      attempts: 1,
    });
    expect(first?.bytes).toBeGreaterThan(0);
    expect(first?.exportedAt).toBeDefined();
    expect(first?.replicatedAt).toBeDefined();
    expect(sim.stack.emulator.exports().map((made) => made.snapshotName)).toEqual([
      runs[0]?.snapshotName,
      runs[2]?.snapshotName,
    ]);
    const mark = {
      'managed-by': 'cache-snapshot-orchestrator',
      'snapshot-orchestrator-deployment': sim.stack.deploymentName,
      'snapshot-policy-id': 'orders-hourly',
      'snapshot-cache-name': 'orders',
      'snapshot-slot': runs[0]?.slot,
      'snapshot-kind': 'SCHEDULED',
    };
    expect(await tagsOf(sim, 'orders-exports', first?.key ?? '')).toEqual(mark);
    expect(await tagsOf(sim, 'orders-dr', first?.key ?? '')).toEqual(mark);
    // Nothing left in the open index once every export is done.
    const open = [];
    for await (const run of sim.runtime.runs.listOpen(hoursLater(10).toISOString())) open.push(run);
    expect(open).toEqual([]);
  });
});
