import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRegistry } from '#local/identity/credential-registry';
import { type LocalS3, startLocalS3 } from '#local/s3/index';

const CLOCK_START = new Date('2025-03-01T00:00:00.000Z');

describe('the local S3 through the real SDK', () => {
  let s3: LocalS3;
  let client: S3Client;
  let now: Date;
  let registry: CredentialRegistry;

  beforeEach(async () => {
    now = CLOCK_START;
    registry = new CredentialRegistry('123456789012', () => now);
    s3 = await startLocalS3({ clock: () => now, credentials: registry });
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterEach(async () => {
    client.destroy();
    await s3.stop();
  });

  it('keeps the region CreateBucket asked for and answers it in GetBucketLocation and HeadBucket', async () => {
    await client.send(
      new CreateBucketCommand({
        Bucket: 'exports-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await client.send(new CreateBucketCommand({ Bucket: 'exports-us' }));

    const eu = await client.send(new GetBucketLocationCommand({ Bucket: 'exports-eu' }));
    const us = await client.send(new GetBucketLocationCommand({ Bucket: 'exports-us' }));
    const head = await client.send(new HeadBucketCommand({ Bucket: 'exports-eu' }));

    expect(eu.LocationConstraint).toBe('eu-west-1');
    expect(us.LocationConstraint ?? '').toBe('');
    expect(head.BucketRegion).toBe('eu-west-1');
    expect(s3.bucketRegion('exports-eu')).toBe('eu-west-1');
  });

  it('answers NoSuchBucket for a bucket that does not exist or was removed by the control', async () => {
    await s3.createBucket('doomed', 'us-west-2');
    await client.send(new PutObjectCommand({ Bucket: 'doomed', Key: 'a.rdb', Body: 'x' }));
    await s3.removeBucket('doomed');

    const location = await client
      .send(new GetBucketLocationCommand({ Bucket: 'doomed' }))
      .catch((error: Error) => error);
    const put = await client
      .send(new PutObjectCommand({ Bucket: 'doomed', Key: 'b.rdb', Body: 'x' }))
      .catch((error: Error) => error);

    expect(location).toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    expect(put).toMatchObject({ name: 'NoSuchBucket' });
  });

  it('stores, lists and copies objects with LastModified on the given clock', async () => {
    await s3.createBucket('primary');
    await s3.createBucket('replica', 'eu-central-1');
    await client.send(
      new PutObjectCommand({ Bucket: 'primary', Key: 'orders-0001.rdb', Body: 'REDIS0011 orders' }),
    );
    now = new Date(CLOCK_START.getTime() + 3_600_000);
    await client.send(
      new CopyObjectCommand({
        Bucket: 'replica',
        Key: 'orders-0001.rdb',
        CopySource: 'primary/orders-0001.rdb',
      }),
    );

    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'primary', Prefix: 'orders-' }));
    const copied = await client.send(new HeadObjectCommand({ Bucket: 'replica', Key: 'orders-0001.rdb' }));
    const body = await (
      await client.send(new GetObjectCommand({ Bucket: 'replica', Key: 'orders-0001.rdb' }))
    ).Body?.transformToString();

    expect(listed.Contents?.map((object) => [object.Key, object.Size, object.LastModified])).toEqual([
      ['orders-0001.rdb', 16, CLOCK_START],
    ]);
    expect(copied.LastModified).toEqual(now);
    expect(body).toBe('REDIS0011 orders');
  });

  it('stores a streamed upload (aws-chunked with a trailing checksum) as its plain bytes', async () => {
    await s3.createBucket('primary');
    await client.send(
      new PutObjectCommand({
        Bucket: 'primary',
        Key: 'streamed.rdb',
        Body: Readable.from([Buffer.from('REDIS0011 '), Buffer.from('streamed')]),
        ContentLength: 18,
      }),
    );

    const stored = await client.send(new GetObjectCommand({ Bucket: 'primary', Key: 'streamed.rdb' }));

    expect(await stored.Body?.transformToString()).toBe('REDIS0011 streamed');
  });

  it('copies an object in parts with UploadPartCopy and byte ranges', async () => {
    await s3.createBucket('primary');
    await s3.createBucket('replica');
    const content = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));
    await client.send(new PutObjectCommand({ Bucket: 'primary', Key: 'big.rdb', Body: content }));
    const upload = await client.send(new CreateMultipartUploadCommand({ Bucket: 'replica', Key: 'big.rdb' }));

    const parts = [];
    for (const [index, range] of ['bytes=0-599', 'bytes=600-999'].entries()) {
      const part = await client.send(
        new UploadPartCopyCommand({
          Bucket: 'replica',
          Key: 'big.rdb',
          UploadId: upload.UploadId,
          PartNumber: index + 1,
          CopySource: 'primary/big.rdb',
          CopySourceRange: range,
        }),
      );
      expect(part.CopyPartResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      parts.push({ PartNumber: index + 1, ETag: part.CopyPartResult?.ETag });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'replica',
        Key: 'big.rdb',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const copy = await client.send(new GetObjectCommand({ Bucket: 'replica', Key: 'big.rdb' }));

    expect(Buffer.from((await copy.Body?.transformToByteArray()) ?? [])).toEqual(content);
  });

  it('refuses expired temporary credentials, and accepts valid ones', async () => {
    const issued = registry.issue({
      accountId: '210987654321',
      arn: 'arn:aws:sts::210987654321:assumed-role/r/s',
      userId: 'AROA:s',
      durationSeconds: 900,
    });
    const temporary = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: issued,
    });
    await temporary.send(new CreateBucketCommand({ Bucket: 'member-bucket' }));
    now = new Date(CLOCK_START.getTime() + 900_000);

    const refused = await temporary
      .send(new DeleteBucketCommand({ Bucket: 'member-bucket' }))
      .catch((error: Error) => error);
    temporary.destroy();

    expect(refused).toMatchObject({ name: 'ExpiredToken', $metadata: { httpStatusCode: 400 } });
  });
});
