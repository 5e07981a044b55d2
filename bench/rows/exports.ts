import { syncedPolicy } from '#bench/support/policies';
import { formatNumber } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { addMs, HOUR_MS, MINUTE_MS, toIso } from '#lib/clock';
import { EXPORT_DEFAULTS } from '#lib/exports/deps';
import type { ObjectStore } from '#lib/exports/object-store';
import type { RunRecord } from '#lib/runs/types';
import { targetStoreOf } from '#lib/targets/target-store';
import { Simulation } from '#local/simulation';

const START = new Date('2030-03-04T00:00:00.000Z');
const SNAPSHOTS = 1_000;
const TICK_MS = 5 * MINUTE_MS;
const BUCKET = 'bench-exports';
const REPLICA = 'bench-dr';

/** `store` with every call counted by operation (each is one S3 request for objects this small). */
function countingStore(store: ObjectStore, counts: Map<string, number>): ObjectStore {
  const counted = <T>(name: string, call: () => T): T => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return call();
  };
  return {
    locateBucket: (bucket, region) => counted('GetBucketLocation', () => store.locateBucket(bucket, region)),
    listObjects: (bucket, prefix) => counted('ListObjectsV2', () => store.listObjects(bucket, prefix)),
    headObject: (object) => counted('HeadObject', () => store.headObject(object)),
    getTags: (object) => counted('GetObjectTagging', () => store.getTags(object)),
    putTags: (object, tags) => counted('PutObjectTagging', () => store.putTags(object, tags)),
    copyObject: (request) => counted('CopyObject', () => store.copyObject(request)),
    abortCopy: (target, uploadId) => counted('AbortMultipartUpload', () => store.abortCopy(target, uploadId)),
    deleteObject: (object) => counted('DeleteObject', () => store.deleteObject(object)),
  };
}

/**
 * Row 6: 1,000 snapshots (1,000 hourly policies on 1,000 caches, one slot) exported and copied to a replica
 * bucket on the local stack (emulator, local S3, real SDK), ticks every 5 simulated minutes until every export
 * is REPLICATED: the API calls each export made, ElastiCache (export call, state polls by snapshot name) and
 * S3 (by operation) from the emulator's log and a counting ObjectStore, and the writes of run records that
 * carry an export (in-memory store, counted). Completion's listing of each cache is not counted: a snapshot
 * without export makes it too.
 * Baseline: the calls an export cannot avoid: one ExportServerlessCacheSnapshot, one listing to find what it
 * wrote, one PutObjectTagging, one CopyObject, one write of the result.
 */
export async function measureExports(): Promise<Row[]> {
  const sim = await Simulation.start({
    start: START,
    s3: true,
    emulator: {
      snapshotCompletionMs: 3 * MINUTE_MS,
      exportCompletionMs: 3 * MINUTE_MS,
      accountSnapshotLimit: 100_000,
    },
  });
  try {
    await sim.stack.s3?.createBucket(BUCKET, 'us-east-1');
    await sim.stack.s3?.createBucket(REPLICA, 'eu-west-1');
    const policies = new InMemoryPolicyStore();
    // The tick lists due work through the target store: over the same in-memory policies.
    const targets = targetStoreOf(policies, new InMemoryTargetTable());
    const memory = new InMemoryRunStore();
    let writes = 0;
    const runs = Object.assign(Object.create(memory) as InMemoryRunStore, {
      transition: (next: RunRecord, expected: Parameters<InMemoryRunStore['transition']>[1]) => {
        if (next.export) writes += 1;
        return memory.transition(next, expected);
      },
    });
    for (let i = 0; i < SNAPSHOTS; i += 1) {
      const cacheName = `c${i}`;
      sim.stack.emulator.seedCache({ name: cacheName, bytesUsed: 4096 });
      const operator = {
        policyId: `p${i}`,
        cacheName,
        schedule: 'cron(0 * * * ? *)',
        export: { bucket: BUCKET, replicateTo: { bucket: REPLICA, region: 'eu-west-1' } },
      };
      await policies.put(syncedPolicy(operator, toIso(START), toIso(START)));
    }
    const counts = new Map<string, number>();
    const objects = countingStore(sim.runtime.objects, counts);
    const exports = { objects, settings: { ...EXPORT_DEFAULTS, region: 'us-east-1' } };
    const started = performance.now();
    for (let at = START; at.getTime() < START.getTime() + HOUR_MS - TICK_MS; at = addMs(at, TICK_MS)) {
      await sim.tick(at, { policies, runs, targets, exports });
    }
    const seconds = (performance.now() - started) / 1000;
    const done: RunRecord[] = [];
    for (let i = 0; i < SNAPSHOTS; i += 1) {
      for await (const run of runs.listByPolicy(`p${i}`))
        if (run.export?.status === 'REPLICATED') done.push(run);
    }
    const ok = sim.stack.emulator.calls.filter((call) => call.outcome === 'ok');
    const exportCalls = ok.filter((call) => call.action === 'ExportServerlessCacheSnapshot').length;
    // The export's polls name the snapshot; completion's listing of each cache (there without exports) does not.
    const polls = ok.filter(
      (call) =>
        call.action === 'DescribeServerlessCacheSnapshots' &&
        call.params.ServerlessCacheSnapshotName !== undefined,
    ).length;
    const s3Calls = [...counts.values()].reduce((sum, value) => sum + value, 0);
    const perExport = (value: number) => value / Math.max(1, done.length);
    const total = exportCalls + polls + s3Calls + writes;
    const baseline = 5;
    const s3Detail = [...counts]
      .map(([name, value]) => `${name} ${formatNumber(perExport(value), 2)}`)
      .join(', ');
    return [
      {
        name: `6. exports of ${formatNumber(SNAPSHOTS)} snapshots, each copied to a replica bucket: API calls per export (${formatNumber(done.length)} REPLICATED, ${formatNumber(seconds, 1)} s)`,
        measured: `${formatNumber(perExport(total), 2)}: ExportServerlessCacheSnapshot ${formatNumber(perExport(exportCalls), 2)}, Describe of the snapshot ${formatNumber(perExport(polls), 2)}, S3 ${formatNumber(perExport(s3Calls), 2)} (${s3Detail}), run writes ${formatNumber(perExport(writes), 2)}`,
        baseline: `${baseline}: export, listing, tagging, copy, one write`,
        ratio: perExport(total) / baseline,
        target: 'info; every snapshot REPLICATED',
        pass: done.length === SNAPSHOTS ? undefined : false,
      },
    ];
  } finally {
    await sim.stop();
  }
}
