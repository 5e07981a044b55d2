import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStoreError } from '#lib/errors';
import type { CopyLimits } from '#lib/exports/copy-plan';
import type { ObjectRef, ObjectStore, StoredObject } from '#lib/exports/object-store';

/** Small copy limits, so that a few kilobytes take the multipart path in both implementations. */
export const CONTRACT_COPY_LIMITS: CopyLimits = { maxSingleCopyBytes: 10_000, partBytes: 4_000 };

/** An ObjectStore under test, and what the contract needs to arrange buckets and objects around it. */
export interface ObjectStoreHarness {
  /** A store built with CONTRACT_COPY_LIMITS. */
  readonly store: ObjectStore;
  /** Creates a bucket in `region`, as its owner would. */
  createBucket(bucket: string, region: string): Promise<void>;
  /** Writes an object of `bytes` bytes, as someone else would (ElastiCache's export). */
  putObject(object: ObjectRef, bytes: number): Promise<void>;
}

let bucketSeq = 0;

/**
 * The ObjectStore behaviour every implementation must have, run against the in-memory store (unit) and the
 * S3 adapter on the local S3 (integration) so the two cannot drift. Each test gets fresh buckets.
 */
export function describeObjectStoreContract(createHarness: () => Promise<ObjectStoreHarness>): void {
  let harness: ObjectStoreHarness;
  let store: ObjectStore;
  let exports: { bucket: string; region: string };
  let copies: { bucket: string; region: string };

  beforeEach(async () => {
    harness = await createHarness();
    store = harness.store;
    bucketSeq += 1;
    exports = { bucket: `contract-exports-${bucketSeq}`, region: 'us-east-1' };
    copies = { bucket: `contract-copies-${bucketSeq}`, region: 'eu-west-1' };
    await harness.createBucket(exports.bucket, exports.region);
    await harness.createBucket(copies.bucket, copies.region);
  });

  const at = (bucket: { bucket: string; region: string }, key: string): ObjectRef => ({ ...bucket, key });
  const put = async (bucket: { bucket: string; region: string }, key: string, bytes: number) => {
    const object = at(bucket, key);
    await harness.putObject(object, bytes);
    return (await store.headObject(object)) as StoredObject;
  };
  const faultOf = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ObjectStoreError);
    return error as ObjectStoreError;
  };
  const missing = () => ({ bucket: `contract-missing-${bucketSeq}`, region: 'us-east-1' });

  describe('locateBucket', () => {
    it('tells the region of a bucket in us-east-1 and in another region', async () => {
      expect(await store.locateBucket(exports.bucket, 'eu-west-1')).toEqual({
        status: 'found',
        region: 'us-east-1',
      });
      expect(await store.locateBucket(copies.bucket, 'us-east-1')).toEqual({
        status: 'found',
        region: 'eu-west-1',
      });
    });

    it('says a bucket that does not exist is missing, with the code NoSuchBucket', async () => {
      expect(await store.locateBucket(missing().bucket, 'us-east-1')).toMatchObject({
        status: 'missing',
        code: 'NoSuchBucket',
      });
    });
  });

  describe('objects', () => {
    it('lists the objects under a prefix in key order, with their sizes, across pages', async () => {
      for (const key of ['b-0002.rdb', 'a-0001.rdb', 'b-0001.rdb', 'b-0003.rdb', 'b-0004.rdb', 'c.rdb']) {
        await put(exports, key, key.length);
      }

      const listed = await store.listObjects(exports, 'b-');

      expect(listed.map((object) => [object.key, object.bytes])).toEqual([
        ['b-0001.rdb', 10],
        ['b-0002.rdb', 10],
        ['b-0003.rdb', 10],
        ['b-0004.rdb', 10],
      ]);
      expect(listed[0]).toMatchObject(exports);
      expect(listed[0]?.lastModified).toBeInstanceOf(Date);
    });

    it('heads an object, and answers undefined for a key that does not exist', async () => {
      await put(exports, 'orders-0001.rdb', 2048);

      expect(await store.headObject(at(exports, 'orders-0001.rdb'))).toMatchObject({
        ...at(exports, 'orders-0001.rdb'),
        bytes: 2048,
      });
      expect(await store.headObject(at(exports, 'orders-0002.rdb'))).toBeUndefined();
    });

    it('deletes an object, and deleting it again is no error', async () => {
      await put(exports, 'orders-0001.rdb', 64);

      await store.deleteObject(at(exports, 'orders-0001.rdb'));
      await store.deleteObject(at(exports, 'orders-0001.rdb'));

      expect(await store.listObjects(exports, '')).toEqual([]);
    });

    it.each([
      ['listing', (s: ObjectStore, b: ObjectRef) => s.listObjects(b, '')],
      ['heading', (s: ObjectStore, b: ObjectRef) => s.headObject(b)],
      ['deleting', (s: ObjectStore, b: ObjectRef) => s.deleteObject(b)],
    ])('fails %s in a bucket that does not exist as not-found, naming the bucket', async (_, call) => {
      const fault = await faultOf(call(store, at(missing(), 'k.rdb')));

      expect(fault).toMatchObject({
        code: 'NoSuchBucket',
        faultClass: 'not-found',
        bucket: missing().bucket,
      });
      expect(fault.message).toContain(missing().bucket);
    });
  });

  describe('tags', () => {
    it('reads no tags on an untagged object, then the tags put, which replace the earlier ones', async () => {
      const object = (await put(exports, 'orders-0001.rdb', 64)) as ObjectRef;

      expect(await store.getTags(object)).toEqual({});
      await store.putTags(object, { 'managed-by': 'cache-snapshot-orchestrator', slot: 'x' });
      await store.putTags(object, { 'managed-by': 'cache-snapshot-orchestrator', 'snapshot-slot': 'y:z' });

      expect(await store.getTags(object)).toEqual({
        'managed-by': 'cache-snapshot-orchestrator',
        'snapshot-slot': 'y:z',
      });
    });

    it('reads undefined for a key that does not exist, and refuses to tag it as not-found', async () => {
      expect(await store.getTags(at(exports, 'ghost.rdb'))).toBeUndefined();

      const fault = await faultOf(store.putTags(at(exports, 'ghost.rdb'), { a: 'b' }));

      expect(fault).toMatchObject({ code: 'NoSuchKey', faultClass: 'not-found', bucket: exports.bucket });
    });

    it('forgets the tags of a deleted object: an object written again at its key has none', async () => {
      const object = (await put(exports, 'orders-0001.rdb', 64)) as ObjectRef;
      await store.putTags(object, { a: 'b' });

      await store.deleteObject(object);
      await harness.putObject(object, 32);

      expect(await store.getTags(object)).toEqual({});
    });
  });

  describe('copyObject', () => {
    const TAGS = { 'managed-by': 'cache-snapshot-orchestrator', 'snapshot-slot': '2026-01-01T00:00:00.000Z' };

    it('copies an object up to the single-copy size in one step, to a bucket of another region, with the given tags only', async () => {
      const source = await put(exports, 'orders-0001.rdb', 10_000);
      await store.putTags(source, { mine: 'not copied' });
      const target = at(copies, 'orders-0001.rdb');

      const outcome = await store.copyObject({ source, target, tags: TAGS });

      expect(outcome).toEqual({ status: 'copied', parts: 1 });
      expect(await store.headObject(target)).toMatchObject({ ...target, bytes: 10_000 });
      expect(await store.getTags(target)).toEqual(TAGS);
      expect(await store.headObject(source)).toMatchObject({ bytes: 10_000 });
    });

    it('copies a larger object in parts, with its tags', async () => {
      const source = await put(exports, 'orders-0001.rdb', 10_001);
      const target = at(copies, 'orders-0001.rdb');

      const outcome = await store.copyObject({ source, target, tags: TAGS });

      expect(outcome).toEqual({ status: 'copied', parts: 3 });
      expect(await store.headObject(target)).toMatchObject({ bytes: 10_001 });
      expect(await store.getTags(target)).toEqual(TAGS);
    });

    it('stops a multipart copy when time runs out, then resumes it from the parts copied', async () => {
      const source = await put(exports, 'orders-0001.rdb', 10_001);
      const target = at(copies, 'orders-0001.rdb');
      let asked = 0;

      const first = await store.copyObject({ source, target, tags: TAGS, hasTimeLeft: () => asked++ < 1 });

      expect(first).toMatchObject({ status: 'incomplete', partsCopied: 1, parts: 3 });
      expect(await store.headObject(target)).toBeUndefined();
      const uploadId = first.status === 'incomplete' ? first.uploadId : '';
      const second = await store.copyObject({ source, target, tags: TAGS, uploadId });
      expect(second).toEqual({ status: 'copied', parts: 3 });
      expect(await store.headObject(target)).toMatchObject({ bytes: 10_001 });
      expect(await store.getTags(target)).toEqual(TAGS);
    });

    it('gives up an incomplete copy: resuming it then fails as not-found, and aborting twice is no error', async () => {
      const source = await put(exports, 'orders-0001.rdb', 10_001);
      const target = at(copies, 'orders-0001.rdb');
      const first = await store.copyObject({ source, target, tags: TAGS, hasTimeLeft: () => false });
      const uploadId = first.status === 'incomplete' ? first.uploadId : '';

      await store.abortCopy(target, uploadId);
      await store.abortCopy(target, uploadId);
      const fault = await faultOf(store.copyObject({ source, target, tags: TAGS, uploadId }));

      expect(fault).toMatchObject({ code: 'NoSuchUpload', faultClass: 'not-found' });
      expect(await store.headObject(target)).toBeUndefined();
    });

    it('fails as not-found when the source is gone or the target bucket does not exist', async () => {
      const source = await put(exports, 'orders-0001.rdb', 64);
      await store.deleteObject(source);
      const noSource = await faultOf(
        store.copyObject({ source, target: at(copies, 'orders-0001.rdb'), tags: TAGS }),
      );
      const kept = await put(exports, 'orders-0002.rdb', 64);
      const noBucket = await faultOf(
        store.copyObject({ source: kept, target: at(missing(), 'orders-0002.rdb'), tags: TAGS }),
      );

      expect(noSource).toMatchObject({ code: 'NoSuchKey', faultClass: 'not-found' });
      expect(noBucket).toMatchObject({ code: 'NoSuchBucket', faultClass: 'not-found' });
    });
  });
}
