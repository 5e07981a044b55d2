import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '#local/s3/index';

describe('the local S3: object tags, multipart uploads and listing pages, through the real SDK', () => {
  let s3: LocalS3;
  let client: S3Client;
  let seq = 0;
  let bucket: string;

  beforeAll(async () => {
    s3 = await startLocalS3();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });
  beforeEach(async () => {
    seq += 1;
    bucket = `tags-${seq}`;
    await s3.createBucket(bucket);
  });

  const tagsOf = async (key: string) =>
    Object.fromEntries(
      ((await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? []).map(
        (tag) => [tag.Key, tag.Value],
      ),
    );

  it('keeps the tags of PutObject and PutObjectTagging as written, a value like 0042 included', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'a.rdb',
        Body: 'x',
        Tagging: 'policy=0042&slot=2026-01-01T00%3A00%3A00.000Z',
      }),
    );
    const put = await tagsOf('a.rdb');
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'a.rdb',
        Tagging: { TagSet: [{ Key: 'k', Value: 'v & w' }] },
      }),
    );

    expect(put).toEqual({ policy: '0042', slot: '2026-01-01T00:00:00.000Z' });
    expect(await tagsOf('a.rdb')).toEqual({ k: 'v & w' });
  });

  it("copies the source's tags by default, and replaces them with REPLACE", async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'src.rdb', Body: 'x', Tagging: 'a=1' }));
    await client.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'kept.rdb', CopySource: `${bucket}/src.rdb` }),
    );
    await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'new.rdb',
        CopySource: `${bucket}/src.rdb`,
        TaggingDirective: 'REPLACE',
        Tagging: 'b=2',
      }),
    );

    expect(await tagsOf('kept.rdb')).toEqual({ a: '1' });
    expect(await tagsOf('new.rdb')).toEqual({ b: '2' });
  });

  it('tags a multipart upload on completion, lists its parts meanwhile, and aborts another', async () => {
    const upload = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp.rdb', Tagging: 'c=3' }),
    );
    const UploadId = upload.UploadId;
    const part = await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'mp.rdb', UploadId, PartNumber: 1, Body: 'hello' }),
    );
    const listed = await client.send(new ListPartsCommand({ Bucket: bucket, Key: 'mp.rdb', UploadId }));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'mp.rdb',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const other = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'gone.rdb' }));
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'gone.rdb', UploadId: other.UploadId }),
    );
    const afterAbort = await client
      .send(new ListPartsCommand({ Bucket: bucket, Key: 'gone.rdb', UploadId: other.UploadId }))
      .catch((error: Error) => error);

    expect(listed.Parts?.map((entry) => [entry.PartNumber, entry.ETag, entry.Size])).toEqual([
      [1, part.ETag, 5],
    ]);
    expect(await tagsOf('mp.rdb')).toEqual({ c: '3' });
    expect(afterAbort).toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
  });

  it('forgets the tags of objects removed by DeleteObjects', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'd.rdb', Body: 'x', Tagging: 'd=4' }));
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'd.rdb' }] } }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'd.rdb', Body: 'y' }));

    expect(await tagsOf('d.rdb')).toEqual({});
  });

  it('pages a ListObjectsV2 listing with continuation tokens', async () => {
    for (const key of ['p-3', 'p-1', 'q-1', 'p-2', 'p-5', 'p-4']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    }

    const pages: string[][] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'p-', MaxKeys: 2, ContinuationToken }),
      );
      pages.push((page.Contents ?? []).map((object) => object.Key ?? ''));
      expect(page.KeyCount).toBe(page.Contents?.length);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);

    expect(pages).toEqual([['p-1', 'p-2'], ['p-3', 'p-4'], ['p-5']]);
  });
});
