import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import type { Simulation } from '#local/simulation';

/** The demo's export buckets: one in the caches' region, the copy in another. */
export const DEMO_EXPORT = {
  policyId: 'orders-daily',
  bucket: 'orders-exports',
  region: 'us-east-1',
  replicaBucket: 'orders-dr',
  replicaRegion: 'eu-west-1',
  keep: 3,
} as const;

/**
 * Creates the demo's buckets in the local S3 and gives the seeded `orders-daily` policy an `export`: every
 * daily snapshot exported to `orders-exports`, copied to `orders-dr` in eu-west-1, the newest 3 kept in both
 * (the policy is written again, so policy sync checks the buckets as for any write).
 */
export async function addDemoExports(simulation: Simulation, log: (line: string) => void): Promise<void> {
  const s3 = simulation.stack.s3;
  if (!s3) throw new Error('the demo exports need the local S3 (Simulation.start with s3)');
  await s3.createBucket(DEMO_EXPORT.bucket, DEMO_EXPORT.region);
  await s3.createBucket(DEMO_EXPORT.replicaBucket, DEMO_EXPORT.replicaRegion);
  const item = await simulation.runtime.policies.get(DEMO_EXPORT.policyId);
  if (!item) throw new Error(`the demo exports need policy ${DEMO_EXPORT.policyId} from examples/`);
  const {
    state: _s,
    stateReason: _r,
    specHash: _h,
    ...operator
  } = item as PolicyItem & Record<string, unknown>;
  await simulation.putPolicy({
    ...(operator as PolicyItem),
    export: {
      bucket: DEMO_EXPORT.bucket,
      retention: { maxCount: DEMO_EXPORT.keep },
      replicateTo: { bucket: DEMO_EXPORT.replicaBucket, region: DEMO_EXPORT.replicaRegion },
    },
  });
  log(
    `  ${DEMO_EXPORT.policyId} also exports each snapshot to s3://${DEMO_EXPORT.bucket} and copies it to ` +
      `s3://${DEMO_EXPORT.replicaBucket} (${DEMO_EXPORT.replicaRegion}), keeping the newest ${DEMO_EXPORT.keep}`,
  );
}

/** The exports of the week from the run records, and the objects the buckets hold now, for the report. */
export async function describeExports(simulation: Simulation, runs: readonly RunRecord[]): Promise<string[]> {
  const exported = runs.filter((run) => run.export !== undefined);
  const withStatus = (status: string) => exported.filter((run) => run.export?.status === status).length;
  const held = async (bucket: string, region: string) =>
    (await simulation.runtime.objects.listObjects({ bucket, region }, '')).length;
  return [
    `Exports (run records): ${exported.length} snapshots exported, ${withStatus('REPLICATED')} copied to ` +
      `${DEMO_EXPORT.replicaBucket}, ${withStatus('EXPORTED') + withStatus('EXPORTING')} not copied yet, ` +
      `${withStatus('FAILED')} failed.`,
    `Objects now in s3://${DEMO_EXPORT.bucket}: ${await held(DEMO_EXPORT.bucket, DEMO_EXPORT.region)}, ` +
      `in s3://${DEMO_EXPORT.replicaBucket}: ${await held(DEMO_EXPORT.replicaBucket, DEMO_EXPORT.replicaRegion)} ` +
      `(export retention keeps ${DEMO_EXPORT.keep}).`,
  ];
}
