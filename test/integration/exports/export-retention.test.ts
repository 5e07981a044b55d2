import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulation } from '#local/simulation';
import {
  clientOf,
  exportingPolicy,
  exportSimulation,
  exportSummary,
  hoursLater,
  keysIn,
  runsOf,
  START,
  TICK_MS,
} from './support';

/** Objects in both buckets that retention must leave alone: same key shape, not this deployment's export. */
async function putOthers(s: Simulation, bucket: string): Promise<string[]> {
  const client = clientOf(s);
  const mark = (deployment: string, policyId: string) =>
    `managed-by=cache-snapshot-orchestrator&snapshot-orchestrator-deployment=${deployment}&snapshot-policy-id=${policyId}&snapshot-cache-name=orders&snapshot-slot=2026-04-01T00:00:00.000Z&snapshot-kind=SCHEDULED`;
  const others = [
    { Key: 'orders-20260401-0000-00000001-0001.rdb' },
    { Key: 'orders-20260401-0000-00000002-0001.rdb', Tagging: mark('another-stage', 'orders-hourly') },
    { Key: 'orders-20260401-0000-00000003-0001.rdb', Tagging: mark(s.stack.deploymentName, 'someone-else') },
  ];
  try {
    for (const other of others) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Body: 'not ours', ...other }));
    }
  } finally {
    client.destroy();
  }
  return others.map((other) => other.Key);
}

describe('export retention on the local stack (local S3, real SDK)', () => {
  let sim: Simulation | undefined;
  afterEach(() => sim?.stop());

  it('keeps the newest maxCount exports of the target in both buckets and never touches objects not marked as its own', async () => {
    sim = await exportSimulation({ 'orders-exports': 'us-east-1', 'orders-dr': 'eu-west-1' });
    const othersHere = await putOthers(sim, 'orders-exports');
    const othersThere = await putOthers(sim, 'orders-dr');
    await sim.putPolicy(
      exportingPolicy('orders-hourly', {
        bucket: 'orders-exports',
        replicateTo: { bucket: 'orders-dr', region: 'eu-west-1' },
        retention: { maxCount: 2 },
      }),
    );
    await sim.tickThrough(START, hoursLater(3.75), TICK_MS);

    const runs = await runsOf(sim, 'orders-hourly');
    expect(exportSummary(runs)).toEqual([
      '00:00 REPLICATED',
      '01:00 REPLICATED',
      '02:00 REPLICATED',
      '03:00 REPLICATED',
    ]);
    const kept = runs.slice(2).map((run) => `${run.snapshotName}-0001.rdb`);
    expect(await keysIn(sim, 'orders-exports')).toEqual([...othersHere, ...kept].sort());
    expect(await keysIn(sim, 'orders-dr')).toEqual([...othersThere, ...kept].sort());
  });
});
