import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '#lib/adapters/s3/client';
import { S3ObjectStore } from '#lib/adapters/s3/object-store';
import { checkExportBuckets } from '#lib/exports/check-export-buckets';
import { type LocalS3, startLocalS3 } from '#local/s3/index';
import {
  CONTRACT_COPY_LIMITS,
  describeObjectStoreContract,
} from '#test/unit/adapters/contract/object-store-contract';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('S3ObjectStore on the local S3, through the real SDK', () => {
  let s3: LocalS3;
  let raw: S3Client;
  const clients: S3Client[] = [];
  const clientFor = (region: string) => {
    const client = createS3Client(region, {
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    s3 = await startLocalS3();
    raw = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
  });
  afterAll(async () => {
    for (const client of [raw, ...clients]) client.destroy();
    await s3?.stop();
  });

  /** Bytes that differ at every offset, so a part copied from the wrong range shows. */
  const patterned = (bytes: number) =>
    Buffer.from(Array.from({ length: bytes }, (_, index) => (index * 7 + 3) % 251));
  const putRaw = (bucket: string, key: string, body: Buffer) =>
    raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  describeObjectStoreContract(async () => ({
    store: new S3ObjectStore({ clientFor, limits: CONTRACT_COPY_LIMITS, pageSize: 2 }),
    createBucket: (bucket, region) => s3.createBucket(bucket, region),
    putObject: async (object, bytes) => {
      await putRaw(object.bucket, object.key, patterned(bytes));
    },
  }));

  it('copies every byte of an object in its range on the multipart path', async () => {
    const store = new S3ObjectStore({ clientFor, limits: CONTRACT_COPY_LIMITS });
    await s3.createBucket('parts-source', 'us-east-1');
    await s3.createBucket('parts-target', 'ap-southeast-2');
    const body = patterned(10_001);
    await putRaw('parts-source', 'orders-0001.rdb', body);
    const source = {
      bucket: 'parts-source',
      region: 'us-east-1',
      key: 'orders-0001.rdb',
      bytes: body.length,
      lastModified: undefined,
    };

    const outcome = await store.copyObject({
      source,
      target: { bucket: 'parts-target', region: 'ap-southeast-2', key: 'copies/orders-0001.rdb' },
      tags: { 'snapshot-policy-id': '0042' },
    });
    const copy = await raw.send(
      new GetObjectCommand({ Bucket: 'parts-target', Key: 'copies/orders-0001.rdb' }),
    );

    expect(outcome).toEqual({ status: 'copied', parts: 3 });
    expect(Buffer.from((await copy.Body?.transformToByteArray()) ?? [])).toEqual(body);
    expect(
      await store.getTags({
        bucket: 'parts-target',
        region: 'ap-southeast-2',
        key: 'copies/orders-0001.rdb',
      }),
    ).toEqual({
      'snapshot-policy-id': '0042',
    });
  });

  it('addresses buckets by path whenever AWS_ENDPOINT_URL_S3 is set, as the SDK has no variable for it', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    try {
      const client = createS3Client('eu-west-1', { credentials: CREDENTIALS });
      clients.push(client);
      await s3.createBucket('env-addressed', 'eu-west-1');
      const store = new S3ObjectStore({ clientFor: () => client });

      expect(await store.locateBucket('env-addressed', 'eu-west-1')).toEqual({
        status: 'found',
        region: 'eu-west-1',
      });
      expect(await client.config.forcePathStyle).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = saved;
    }
  });

  it('checks export buckets with GetBucketLocation: a missing bucket and one in another region are refused', async () => {
    await s3.createBucket('check-main', 'eu-west-1');
    await s3.createBucket('check-copy', 'us-west-2');
    const store = new S3ObjectStore({ clientFor });
    const policy = (bucket: string) => ({
      export: {
        bucket,
        every: 1,
        retention: undefined,
        replicateTo: { bucket: 'check-copy', region: 'eu-central-1' },
      },
    });

    expect(await checkExportBuckets({ objects: store }, policy('check-main'), 'eu-west-1')).toEqual([
      {
        attribute: 'export.replicateTo.region',
        message: 'bucket "check-copy" is in us-west-2, not in eu-central-1',
      },
    ]);
    expect((await checkExportBuckets({ objects: store }, policy('check-gone'), 'eu-west-1'))[0]).toEqual({
      attribute: 'export.bucket',
      message: 'bucket "check-gone" does not exist',
    });
  });
});
