import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import { MINUTE_MS } from '#lib/clock';
import { ObjectStoreError } from '#lib/errors';
import { advanceExport, followExports } from '#lib/exports/advance-export';
import { startExports } from '#lib/exports/start-exports';
import type { PlacementRef } from '#lib/placements/placement';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf } from '#test/support/policy-builders';
import { seedAvailableRun } from '#test/support/run-builders';
import { DEPLOYMENT, exportHarness, SLOT } from './export-harness';

const TAGS_OF_RUN = (slot: string) => ({
  'managed-by': 'cache-snapshot-orchestrator',
  'snapshot-orchestrator-deployment': DEPLOYMENT,
  'snapshot-policy-id': 'orders-hourly',
  'snapshot-cache-name': 'orders',
  'snapshot-slot': slot,
  'snapshot-kind': 'SCHEDULED',
});

/** Both buckets, an AVAILABLE run of a policy exporting to the first and copying to the second, its export started. */
async function startReplicatedExport(h: ReturnType<typeof exportHarness>) {
  h.objects.createBucket('orders-exports', 'us-east-1');
  h.objects.createBucket('orders-dr', 'eu-west-1');
  const { policy, run } = await h.availableRun({
    bucket: 'orders-exports',
    replicateTo: { bucket: 'orders-dr', region: 'eu-west-1' },
  });
  await startExports(h.deps, policy, [run], 'tick-1');
  return run;
}

describe('export steps', () => {
  it('starts an export, finds and tags its object, and records EXPORTED with key, bytes and time', async () => {
    const h = exportHarness();
    h.objects.createBucket('orders-exports', 'us-east-1');
    const { policy, run } = await h.availableRun({ bucket: 'orders-exports' });

    await startExports(h.deps, policy, [run], 'tick-1');
    expect((await h.stored(run)).export).toMatchObject({ status: 'EXPORTING', attempts: 1 });
    expect(h.gateway.exportRequests).toEqual([{ snapshotName: run.snapshotName, bucket: 'orders-exports' }]);

    h.finishExport(run, 'orders-exports');
    h.time.advance(5 * MINUTE_MS);
    await followExports(h.deps, [await h.stored(run)], 'tick-2');

    const done = await h.stored(run);
    expect(done.status).toBe('AVAILABLE');
    expect(done.export).toMatchObject({
      status: 'EXPORTED',
      key: `${run.snapshotName}-0001.rdb`,
      bytes: 2048,
      exportedAt: '2026-04-06T00:10:00.000Z',
    });
    expect(done.nextCheckAt).toBeUndefined();
    const key = { bucket: 'orders-exports', region: 'us-east-1', key: `${run.snapshotName}-0001.rdb` };
    expect(await h.objects.getTags(key)).toEqual(TAGS_OF_RUN(run.slot));
  });

  it('exports the snapshot of a cache in another region to the bucket in that region, recording the region', async () => {
    const h = exportHarness();
    const eu = h.deps.placements.add({ account: HOME.account, region: 'eu-west-1' }, ['orders']);
    h.objects.createBucket('orders-exports-eu', 'eu-west-1');
    const policy = policyOf(
      policyItem('orders-hourly', { export: { bucket: 'orders-exports-eu' }, region: 'eu-west-1' }),
    );
    const run = await seedAvailableRun(h.runs, eu, policy, SLOT);

    await startExports(h.deps, policy, [run], 'tick-1');

    expect(eu.exportRequests).toEqual([{ snapshotName: run.snapshotName, bucket: 'orders-exports-eu' }]);
    expect(h.gateway.exportRequests).toEqual([]);
    expect((await h.stored(run)).export).toMatchObject({ status: 'EXPORTING', region: 'eu-west-1' });
  });

  it('finds and tags the objects of a member account’s export in that account’s S3, not the own', async () => {
    const h = exportHarness();
    const placement = { account: '222222222222', region: 'us-east-1' };
    const gateway = h.deps.placements.add(placement, ['orders']);
    const memberS3 = new InMemoryObjectStore(h.time.clock);
    memberS3.createBucket('member-exports', 'us-east-1');
    const deps = {
      ...h.deps,
      exports: { ...h.deps.exports, objectsIn: (at: PlacementRef) => (at.account ? memberS3 : h.objects) },
    };
    const policy = policyOf(
      policyItem('orders-hourly', { export: { bucket: 'member-exports' }, ...placement }),
    );
    const run = await seedAvailableRun(h.runs, gateway, policy, SLOT);
    await startExports(deps, policy, [run], 'tick-1');

    gateway.completeExport(run.snapshotName);
    const key = { bucket: 'member-exports', region: 'us-east-1', key: `${run.snapshotName}-0001.rdb` };
    memberS3.putObject(key, 2048);
    h.time.advance(5 * MINUTE_MS);
    await followExports(deps, [await h.stored(run)], 'tick-2');

    expect((await h.stored(run)).export).toMatchObject({ status: 'EXPORTED', bytes: 2048 });
    expect(await memberS3.getTags(key)).toMatchObject({ 'snapshot-policy-id': 'orders-hourly' });
    expect(h.objects.calls).toEqual([]);
  });

  it('publishes one Snapshot Export State Change per export status, with the previous status', async () => {
    const h = exportHarness();
    const run = await startReplicatedExport(h);
    h.time.advance(MINUTE_MS);
    await followExports(h.deps, [await h.stored(run)], 'tick-2');
    h.finishExport(run, 'orders-exports');
    h.time.advance(5 * MINUTE_MS);
    await followExports(h.deps, [await h.stored(run)], 'tick-3');

    const changes = h.events.map((event) => [
      event.detailType,
      event.detail.previousStatus,
      event.detail.status,
    ]);
    expect(changes).toEqual([
      ['Snapshot Export State Change', null, 'EXPORTING'],
      ['Snapshot Export State Change', 'EXPORTING', 'EXPORTED'],
      ['Snapshot Export State Change', 'EXPORTED', 'REPLICATED'],
    ]);
    expect(h.events[0]?.detail).toMatchObject({
      policyId: 'orders-hourly',
      cacheName: 'orders',
      slot: run.slot,
      kind: 'SCHEDULED',
      snapshotName: run.snapshotName,
      error: null,
      account: run.account, // the run's own (every run carries its placement since issue 17)
      region: 'us-east-1',
    });
  });

  it('lets only one of two ticks following the same export call ExportServerlessCacheSnapshot', async () => {
    const h = exportHarness();
    h.objects.createBucket('orders-exports', 'us-east-1');
    const { policy, run } = await h.availableRun({ bucket: 'orders-exports' });

    await Promise.all([
      startExports(h.deps, policy, [run], 'tick-a'),
      startExports(h.deps, policy, [run], 'tick-b'),
    ]);

    expect(h.gateway.exportRequests).toHaveLength(1);
    expect((await h.stored(run)).export?.attempts).toBe(1);
  });

  it('records an export call answered "object already there" as accepted and finds the object: no second export', async () => {
    const h = exportHarness();
    h.objects.createBucket('orders-exports', 'us-east-1');
    const { policy, run } = await h.availableRun({ bucket: 'orders-exports' });
    h.objects.putObject(
      { bucket: 'orders-exports', region: 'us-east-1', key: `${run.snapshotName}-0001.rdb` },
      99,
    );
    h.gateway.failNext('exportSnapshot', serviceFault('already-exists', 'InvalidParameterValue'));

    await startExports(h.deps, policy, [run], 'tick-1');

    expect((await h.stored(run)).export).toMatchObject({ status: 'EXPORTED', bytes: 99 });
    expect(h.gateway.exportRequests).toEqual([]);
  });

  it('waits on transient S3 faults and ends FAILED ExportTimeout once giveUpAt has passed', async () => {
    const h = exportHarness();
    h.objects.createBucket('orders-exports', 'us-east-1');
    const { policy, run } = await h.availableRun({ bucket: 'orders-exports' });
    await startExports(h.deps, policy, [run], 'tick-1');
    h.finishExport(run, 'orders-exports');
    const slowDown = () =>
      new ObjectStoreError('SlowDown', 'transient', 'orders-exports', 'SlowDown on bucket "orders-exports"');

    h.time.advance(5 * MINUTE_MS);
    h.objects.failNext('listObjects', slowDown());
    await advanceExport(h.deps, await h.stored(run), 'tick-2');
    const waiting = await h.stored(run);
    expect(waiting.export).toMatchObject({ status: 'EXPORTING', lastError: { code: 'SlowDown' } });
    expect(waiting.nextCheckAt).toBeDefined();

    h.time.advance(25 * 60 * MINUTE_MS);
    h.objects.failNext('listObjects', slowDown());
    await advanceExport(h.deps, await h.stored(run), 'tick-3');
    const ended = await h.stored(run);
    expect(ended.export?.status).toBe('FAILED');
    expect(ended.export?.lastError?.code).toBe('ExportTimeout');
    expect(ended.export?.lastError?.message).toContain('SlowDown');
    expect(ended.nextCheckAt).toBeUndefined();
  });

  it('resumes a multipart copy stopped by the deadline on the next tick from the parts already copied', async () => {
    const h = exportHarness({ maxSingleCopyBytes: 1000, partBytes: 400 });
    const run = await startReplicatedExport(h);
    h.finishExport(run, 'orders-exports', 2000);
    h.time.advance(5 * MINUTE_MS);
    let starts = 0;
    h.setRemainingMs(60_000);
    const deps = {
      ...h.deps,
      remainingMs: () => {
        starts += 1;
        return starts > 4 ? 1_000 : 60_000;
      },
    };
    await advanceExport(deps, await h.stored(run), 'tick-2');
    const partial = await h.stored(run);
    expect(partial.export?.status).toBe('EXPORTED');
    expect(partial.export?.replica?.upload?.uploadId).toBeDefined();
    expect(h.objects.openUploads()).toHaveLength(1);

    await advanceExport(h.deps, partial, 'tick-3');
    const done = await h.stored(run);
    expect(done.export?.status).toBe('REPLICATED');
    expect(h.objects.openUploads()).toEqual([]);
    const copy = await h.objects.headObject({
      bucket: 'orders-dr',
      region: 'eu-west-1',
      key: `${run.snapshotName}-0001.rdb`,
    });
    expect(copy?.bytes).toBe(2000);
  });

  it('ends FAILED naming the replica bucket when it was deleted, and aborts nothing left open', async () => {
    const h = exportHarness();
    h.objects.createBucket('orders-exports', 'us-east-1');
    const { policy, run } = await h.availableRun({
      bucket: 'orders-exports',
      replicateTo: { bucket: 'gone-dr', region: 'eu-west-1' },
    });
    await startExports(h.deps, policy, [run], 'tick-1');
    h.finishExport(run, 'orders-exports');
    h.time.advance(5 * MINUTE_MS);
    await advanceExport(h.deps, await h.stored(run), 'tick-2');

    const failed = await h.stored(run);
    expect(failed.export?.status).toBe('FAILED');
    expect(failed.export?.lastError).toEqual({
      code: 'NoSuchBucket',
      message: expect.stringContaining('"gone-dr"'),
    });
    expect(failed.export?.exportedAt).toBeDefined();
  });
});
