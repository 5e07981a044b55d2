import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import { Simulation, type SimulationOptions } from '#local/simulation';

export const START = new Date('2026-04-06T00:00:00.000Z');
export const hoursLater = (hours: number) => new Date(START.getTime() + hours * HOUR_MS);
export const TICK_MS = 5 * MINUTE_MS;

/** A simulation with the local S3, cache `orders` and the buckets given (name → region), a minute before START. */
export async function exportSimulation(
  buckets: Readonly<Record<string, string>>,
  options: Partial<SimulationOptions> = {},
): Promise<Simulation> {
  const sim = await Simulation.start({
    start: new Date(START.getTime() - MINUTE_MS),
    s3: true,
    emulator: { snapshotCompletionMs: 2 * MINUTE_MS, exportCompletionMs: 3 * MINUTE_MS },
    ...options,
  });
  sim.stack.emulator.seedCache({ name: 'orders', bytesUsed: 4096 });
  for (const [bucket, region] of Object.entries(buckets)) await sim.stack.s3?.createBucket(bucket, region);
  return sim;
}

/** An hourly policy on `orders` exporting with `exportMap`. */
export function exportingPolicy(
  policyId: string,
  exportMap: Record<string, unknown>,
  extra: Partial<PolicyItem> = {},
) {
  return { policyId, cacheName: 'orders', schedule: 'cron(0 * * * ? *)', export: exportMap, ...extra };
}

/** The runs of `policyId`, oldest first. */
export async function runsOf(sim: Simulation, policyId: string): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for await (const run of sim.runtime.runs.listByPolicy(policyId)) runs.push(run);
  return runs;
}

/** `HH:MM status` of each run's export (`-` for none), for compact assertions. */
export function exportSummary(runs: readonly RunRecord[]): string[] {
  return runs.map((run) => `${run.slot.slice(11, 16)} ${run.export?.status ?? '-'}`);
}

/** An S3 client on the simulation's local S3 (the stack's own credentials). */
export function clientOf(sim: Simulation): S3Client {
  return new S3Client({ endpoint: sim.stack.s3?.endpoint, region: 'us-east-1', forcePathStyle: true });
}

/** The keys in `bucket` of the local S3, sorted. */
export async function keysIn(sim: Simulation, bucket: string): Promise<string[]> {
  const client = clientOf(sim);
  try {
    const output = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (output.Contents ?? []).map((object) => object.Key ?? '').sort();
  } finally {
    client.destroy();
  }
}
