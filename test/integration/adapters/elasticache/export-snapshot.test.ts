import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ElastiCacheSnapshotGateway } from '#lib/adapters/elasticache/snapshot-gateway';
import { createS3Client } from '#lib/adapters/s3/client';
import { S3ObjectStore } from '#lib/adapters/s3/object-store';
import { SnapshotServiceError } from '#lib/errors';
import { exportTags, findExportedObjects, listDeploymentExports } from '#lib/exports/export-objects';
import { type LocalS3, startLocalS3 } from '#local/s3/index';
import {
  type Fixture,
  MINUTE,
  rejectionOf,
  startFixture,
  stopFixture,
} from '#test/integration/emulator/emulator-fixture';

const SNAPSHOT = 'orders-20260101-0000-0a1b2c3d';
const MARK = {
  deployment: 'cache-snapshot-orchestrator-test',
  policyId: 'orders-hourly',
  cacheName: 'orders',
  slot: '2026-01-01T00:00:00.000Z',
  kind: 'SCHEDULED',
};

describe('exports through the ElastiCache gateway and the S3 adapter, on the emulator and the local S3', () => {
  let s3: LocalS3;
  let fixture: Fixture;
  let gateway: ElastiCacheSnapshotGateway;
  let store: S3ObjectStore;
  const clients: S3Client[] = [];
  let seq = 0;
  let bucket: { bucket: string; region: string };

  beforeAll(async () => {
    s3 = await startLocalS3();
    store = new S3ObjectStore({
      clientFor: (region) => {
        const client = createS3Client(region, {
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        });
        clients.push(client);
        return client;
      },
    });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await s3?.stop();
  });
  beforeEach(async () => {
    seq += 1;
    bucket = { bucket: `gateway-exports-${seq}`, region: 'us-east-1' };
    await s3.createBucket(bucket.bucket, bucket.region);
    fixture = await startFixture({ s3Endpoint: s3.endpoint, exportCompletionMs: 2 * MINUTE });
    fixture.emulator.seedCache({ name: 'orders', engine: 'valkey', bytesUsed: 4096 });
    fixture.emulator.seedSnapshot({ name: SNAPSHOT, cacheName: 'orders' });
    gateway = new ElastiCacheSnapshotGateway(fixture.client);
  });
  afterEach(() => stopFixture(fixture));

  const faultOf = async (call: Promise<unknown>) => {
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(SnapshotServiceError);
    return error as SnapshotServiceError;
  };

  it('exports a snapshot, finds the object ElastiCache wrote, marks it and copies it to another region', async () => {
    const started = await gateway.exportSnapshot(SNAPSHOT, bucket.bucket);
    fixture.clock.advance(2 * MINUTE);
    await fixture.emulator.settle();
    const [object, ...others] = await findExportedObjects(store, bucket, SNAPSHOT);
    if (object === undefined) throw new Error('the export wrote nothing');
    await store.putTags(object, exportTags(MARK));
    await s3.createBucket(`gateway-copies-${seq}`, 'eu-central-1');
    const replica = { bucket: `gateway-copies-${seq}`, region: 'eu-central-1', key: object.key };
    const copied = await store.copyObject({ source: object, target: replica, tags: exportTags(MARK) });

    expect(started).toMatchObject({ name: SNAPSHOT, status: 'exporting' });
    expect((await gateway.getSnapshot(SNAPSHOT))?.status).toBe('available');
    expect(others).toEqual([]);
    expect(object).toMatchObject({ key: `${SNAPSHOT}-0001.rdb`, bytes: 4096 });
    expect(copied).toEqual({ status: 'copied', parts: 1 });
    expect(await listDeploymentExports(store, replica, 'orders-', MARK.deployment)).toEqual([
      { object: expect.objectContaining({ key: object.key, bytes: 4096 }), mark: MARK },
    ]);
  });

  it('refuses a missing bucket, one in another region and one ElastiCache may not write as terminal, naming it', async () => {
    await s3.createBucket(`${bucket.bucket}-eu`, 'eu-west-1');
    await s3.createBucket(`${bucket.bucket}-locked`, 'us-east-1');
    fixture.emulator.denyExportWrites(`${bucket.bucket}-locked`);

    for (const target of [`${bucket.bucket}-missing`, `${bucket.bucket}-eu`, `${bucket.bucket}-locked`]) {
      const fault = await faultOf(gateway.exportSnapshot(SNAPSHOT, target));

      expect(fault, target).toMatchObject({ code: 'InvalidParameterValue', faultClass: 'terminal' });
      expect(fault.message.startsWith(`Export to S3 bucket "${target}" refused: `), fault.message).toBe(true);
      expect(fault.message.split('refused: ')[1], target).toContain(target);
    }
  });

  it('answers already-exists when an earlier export of the snapshot already wrote its object', async () => {
    await gateway.exportSnapshot(SNAPSHOT, bucket.bucket);
    fixture.clock.advance(2 * MINUTE);

    const fault = await faultOf(gateway.exportSnapshot(SNAPSHOT, bucket.bucket));

    expect(fault).toMatchObject({ code: 'InvalidParameterValue', faultClass: 'already-exists' });
  });

  it('answers busy while the snapshot is creating or exporting, and not-found for no such snapshot', async () => {
    fixture.emulator.seedSnapshot({ name: 'orders-creating', cacheName: 'orders', status: 'creating' });
    await gateway.exportSnapshot(SNAPSHOT, bucket.bucket);

    expect(await faultOf(gateway.exportSnapshot('orders-creating', bucket.bucket))).toMatchObject({
      faultClass: 'busy',
    });
    expect(await faultOf(gateway.exportSnapshot(SNAPSHOT, bucket.bucket))).toMatchObject({
      faultClass: 'busy',
    });
    expect(await faultOf(gateway.exportSnapshot('ghost', bucket.bucket))).toMatchObject({
      code: 'ServerlessCacheSnapshotNotFoundFault',
      faultClass: 'not-found',
    });
  });

  it('leaves nothing to find when the bucket is deleted while the export runs: looking fails as not-found', async () => {
    await gateway.exportSnapshot(SNAPSHOT, bucket.bucket);
    await s3.removeBucket(bucket.bucket);
    fixture.clock.advance(2 * MINUTE);

    expect((await gateway.getSnapshot(SNAPSHOT))?.status).toBe('available');
    await expect(findExportedObjects(store, bucket, SNAPSHOT)).rejects.toMatchObject({
      code: 'NoSuchBucket',
      faultClass: 'not-found',
      bucket: bucket.bucket,
    });
  });
});
