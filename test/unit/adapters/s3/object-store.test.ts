import {
  CopyObjectCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createS3Client } from '#lib/adapters/s3/client';
import { S3ObjectStore } from '#lib/adapters/s3/object-store';
import { ObjectStoreError } from '#lib/errors';

const s3 = mockClient(S3Client);
const OBJECT = { bucket: 'orders-exports', region: 'eu-west-1', key: 'orders-0001.rdb' };

function fault(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
}

describe('S3ObjectStore', () => {
  let store: S3ObjectStore;
  const regions: string[] = [];
  beforeEach(() => {
    s3.reset();
    regions.length = 0;
    store = new S3ObjectStore({
      clientFor: (region) => {
        regions.push(region);
        return createS3Client(region, { maxAttempts: 1 });
      },
    });
  });

  it.each([
    [undefined, 'us-east-1'],
    ['', 'us-east-1'],
    ['EU', 'eu-west-1'],
    ['ap-southeast-2', 'ap-southeast-2'],
  ])('reads the location constraint %j as the region %s', async (constraint, region) => {
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: constraint as never });

    expect(await store.locateBucket('orders-exports', 'eu-west-1')).toEqual({ status: 'found', region });
    expect(regions).toEqual(['eu-west-1']);
  });

  it('says a bucket it may not locate is denied, naming the bucket, and throws a throttled answer', async () => {
    s3.on(GetBucketLocationCommand)
      .rejectsOnce(fault('AccessDenied', 403))
      .rejectsOnce(fault('SlowDown', 503));

    expect(await store.locateBucket('orders-dr', 'us-east-1')).toEqual({
      status: 'denied',
      code: 'AccessDenied',
      message: 'AccessDenied on bucket "orders-dr": AccessDenied',
    });
    await expect(store.locateBucket('orders-dr', 'us-east-1')).rejects.toMatchObject({
      code: 'SlowDown',
      faultClass: 'transient',
    });
  });

  it("tells a missing key from a missing bucket after HeadObject's bodiless 404, with one HeadBucket", async () => {
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'NotFound' }),
    );
    s3.on(HeadBucketCommand)
      .resolvesOnce({})
      .rejectsOnce(new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'NotFound' }));

    expect(await store.headObject(OBJECT)).toBeUndefined();
    const error = await store.headObject(OBJECT).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ObjectStoreError);
    expect(error).toMatchObject({ code: 'NoSuchBucket', faultClass: 'not-found', bucket: 'orders-exports' });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(2);
  });

  it('copies with the target region, the URL-encoded source, and the tags replacing the source ones', async () => {
    s3.on(CopyObjectCommand).resolves({});
    const source = { ...OBJECT, key: 'a b/orders+0001.rdb', bytes: 10, lastModified: undefined };

    await store.copyObject({
      source,
      target: { bucket: 'orders-dr', region: 'ap-southeast-2', key: 'orders-0001.rdb' },
      tags: { 'snapshot-slot': '2026-01-01T00:00:00.000Z', team: 'a&b' },
    });

    expect(regions).toEqual(['ap-southeast-2']);
    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'orders-dr',
      Key: 'orders-0001.rdb',
      CopySource: 'orders-exports/a%20b/orders%2B0001.rdb',
      MetadataDirective: 'COPY',
      TaggingDirective: 'REPLACE',
      Tagging: 'snapshot-slot=2026-01-01T00%3A00%3A00.000Z&team=a%26b',
    });
  });

  it('turns a denied copy into a terminal fault naming the target bucket and key', async () => {
    s3.on(CopyObjectCommand).rejects(fault('AccessDenied', 403));
    const source = { ...OBJECT, bytes: 10, lastModified: undefined };

    const error = await store
      .copyObject({ source, target: { ...OBJECT, bucket: 'orders-dr' }, tags: {} })
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ code: 'AccessDenied', faultClass: 'terminal', bucket: 'orders-dr' });
    expect((error as Error).message).toContain('bucket "orders-dr", key "orders-0001.rdb"');
  });
});
