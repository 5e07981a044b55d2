import {
  DeleteServerlessCacheSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  ExportServerlessCacheSnapshotCommand,
  InvalidParameterValueException,
  InvalidServerlessCacheSnapshotStateFault,
  ServerlessCacheSnapshotNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '#local/s3/index';
import {
  type Fixture,
  httpStatusOf,
  MINUTE,
  rejectionOf,
  START,
  startFixture,
  stopFixture,
} from './emulator-fixture';

describe('ExportServerlessCacheSnapshot into the local S3', () => {
  let s3: LocalS3;
  let s3Client: S3Client;
  let fixture: Fixture;
  let bucketSeq = 0;
  let bucket: string;

  beforeAll(async () => {
    s3 = await startLocalS3();
    s3Client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
  });
  afterAll(async () => {
    s3Client.destroy();
    await s3.stop();
  });
  beforeEach(async () => {
    bucketSeq += 1;
    bucket = `exports-${bucketSeq}`;
    await s3.createBucket(bucket, 'us-east-1');
    fixture = await startFixture({ s3Endpoint: s3.endpoint, exportCompletionMs: 2 * MINUTE });
    fixture.emulator.seedCache({ name: 'orders', engine: 'redis', bytesUsed: 2048 });
    fixture.emulator.seedSnapshot({ name: 'orders-nightly', cacheName: 'orders' });
  });
  afterEach(() => stopFixture(fixture));

  const exportTo = (target: string, snapshot = 'orders-nightly') =>
    fixture.client.send(
      new ExportServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: snapshot,
        S3BucketName: target,
      }),
    );
  const statusOf = async (name: string) =>
    (
      await fixture.client.send(
        new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: name }),
      )
    ).ServerlessCacheSnapshots?.[0]?.Status;
  const keysIn = async (target: string) =>
    ((await s3Client.send(new ListObjectsV2Command({ Bucket: target }))).Contents ?? []).map((object) => [
      object.Key,
      object.Size,
    ]);

  it('is exporting until the export completes on the clock, then available with <name>-0001.rdb in the bucket', async () => {
    const started = await exportTo(bucket);

    expect(started.ServerlessCacheSnapshot).toMatchObject({
      ServerlessCacheSnapshotName: 'orders-nightly',
      Status: 'exporting',
    });
    fixture.clock.advance(2 * MINUTE - 1);
    expect(await statusOf('orders-nightly')).toBe('exporting');
    expect(await keysIn(bucket)).toEqual([]);
    fixture.clock.advance(1);
    expect(await statusOf('orders-nightly')).toBe('available');
    expect(await keysIn(bucket)).toEqual([['orders-nightly-0001.rdb', 2048]]);
    const body = await (
      await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: 'orders-nightly-0001.rdb' }))
    ).Body?.transformToString();
    expect(body?.startsWith('REDIS0011')).toBe(true);
    expect(fixture.emulator.exports()).toEqual([
      expect.objectContaining({
        snapshotName: 'orders-nightly',
        bucket,
        keys: ['orders-nightly-0001.rdb'],
        status: 'completed',
        startedAt: START,
        completedAt: new Date(START.getTime() + 2 * MINUTE),
      }),
    ]);
  });

  it('refuses a second export while one runs, and deleting the snapshot meanwhile', async () => {
    await exportTo(bucket);

    const again = await rejectionOf(exportTo(bucket));
    const deleted = await rejectionOf(
      fixture.client.send(
        new DeleteServerlessCacheSnapshotCommand({ ServerlessCacheSnapshotName: 'orders-nightly' }),
      ),
    );

    expect(again).toBeInstanceOf(InvalidServerlessCacheSnapshotStateFault);
    expect(deleted).toBeInstanceOf(InvalidServerlessCacheSnapshotStateFault);
  });

  it('refuses a missing bucket, one in another region, one without write access, and an object already there', async () => {
    await s3.createBucket(`${bucket}-eu`, 'eu-west-1');
    await s3.createBucket(`${bucket}-locked`);
    fixture.emulator.denyExportWrites(`${bucket}-locked`);
    await exportTo(bucket);
    fixture.clock.advance(2 * MINUTE);
    await fixture.emulator.settle();

    const messages = [];
    for (const target of [`${bucket}-missing`, `${bucket}-eu`, `${bucket}-locked`, bucket]) {
      const error = await rejectionOf(exportTo(target));
      expect(error).toBeInstanceOf(InvalidParameterValueException);
      expect(httpStatusOf(error)).toBe(400);
      messages.push((error as Error).message);
    }

    expect(messages).toEqual([
      `The S3 bucket ${bucket}-missing does not exist.`,
      `The S3 bucket ${bucket}-eu is outside of the region.`,
      `ElastiCache has not been granted WRITE permissions ${bucket}-locked on the S3 Bucket.`,
      `The S3 bucket ${bucket} already contains an object with key orders-nightly-0001.rdb.`,
    ]);
  });

  it('refuses a snapshot that does not exist, is not available, or is of Memcached', async () => {
    fixture.emulator.seedSnapshot({ name: 'orders-running', cacheName: 'orders', status: 'creating' });
    fixture.emulator.seedSnapshot({ name: 'mc-nightly', cacheName: 'mc', engine: 'memcached' });

    expect(await rejectionOf(exportTo(bucket, 'ghost'))).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(await rejectionOf(exportTo(bucket, 'orders-running'))).toBeInstanceOf(
      InvalidServerlessCacheSnapshotStateFault,
    );
    expect(await rejectionOf(exportTo(bucket, 'mc-nightly'))).toBeInstanceOf(InvalidParameterValueException);
  });

  it('fails an export on completion when injected or when the bucket was deleted meanwhile: no object, snapshot available', async () => {
    fixture.emulator.failNextExports();
    fixture.emulator.seedSnapshot({ name: 'orders-second', cacheName: 'orders' });
    await exportTo(bucket);
    await exportTo(bucket, 'orders-second');
    await s3.removeBucket(bucket);
    fixture.clock.advance(2 * MINUTE);

    expect(await statusOf('orders-nightly')).toBe('available');
    expect(
      fixture.emulator.exports().map((entry) => [entry.snapshotName, entry.status, entry.error]),
    ).toEqual([
      ['orders-nightly', 'failed', 'Injected export failure: no object was written.'],
      ['orders-second', 'failed', expect.stringMatching(/^NoSuchBucket: /)],
    ]);
  });

  it('writes one object per part when told to', async () => {
    fixture.emulator.setExportTimings({ objectCount: 2 });
    await exportTo(bucket);
    fixture.clock.advance(2 * MINUTE);
    await fixture.emulator.settle();

    expect(await keysIn(bucket)).toEqual([
      ['orders-nightly-0001.rdb', 1024],
      ['orders-nightly-0002.rdb', 1024],
    ]);
  });
});
