import type { Clock } from '#lib/clock';
import { ObjectStoreError } from '#lib/errors';
import {
  type CopyLimits,
  copyPartsOf,
  copyRemainingParts,
  DEFAULT_COPY_LIMITS,
} from '#lib/exports/copy-plan';
import type {
  BucketLocation,
  BucketRef,
  CopyOutcome,
  CopyRequest,
  ObjectRef,
  ObjectStore,
  ObjectTags,
  StoredObject,
} from '#lib/exports/object-store';

interface Held {
  bytes: number;
  lastModified: Date;
  tags: ObjectTags;
}

interface Upload {
  readonly target: ObjectRef;
  readonly tags: ObjectTags;
  readonly parts: Map<number, string>;
}

export type ObjectStoreOperation = keyof ObjectStore;

/**
 * ObjectStore in memory with S3's answers (NoSuchBucket, NoSuchKey and NoSuchUpload as `not-found`,
 * deleting a missing key is no error, a copy carries the tags it is given) and the S3 adapter's copy plan
 * (one CopyObject up to `limits.maxSingleCopyBytes`, else parts that stop when `hasTimeLeft` says so), for
 * fast domain tests. Objects have a size, not content. Faults are scripted with `failNext`.
 */
export class InMemoryObjectStore implements ObjectStore {
  /** Every call, in order: the operation and the bucket it concerned. */
  readonly calls: { readonly operation: ObjectStoreOperation; readonly bucket: string }[] = [];
  private readonly buckets = new Map<string, { region: string; objects: Map<string, Held> }>();
  private readonly uploads = new Map<string, Upload>();
  private readonly scripted = new Map<ObjectStoreOperation, Error[]>();
  private uploadSeq = 0;

  constructor(
    private readonly clock: Clock = () => new Date(),
    private readonly limits: CopyLimits = DEFAULT_COPY_LIMITS,
  ) {}

  createBucket(bucket: string, region: string): void {
    this.buckets.set(bucket, this.buckets.get(bucket) ?? { region, objects: new Map() });
  }

  removeBucket(bucket: string): void {
    this.buckets.delete(bucket);
  }

  /** Writes an object as someone else would (ElastiCache's export, another tool), with no tags by default. */
  putObject(object: ObjectRef, bytes: number, tags: ObjectTags = {}): void {
    this.bucketOf(object).objects.set(object.key, { bytes, lastModified: this.clock(), tags: { ...tags } });
  }

  /** Makes the next call of `operation` fail with `error` (one per call, in order). */
  failNext(operation: ObjectStoreOperation, error: Error): void {
    this.scripted.set(operation, [...(this.scripted.get(operation) ?? []), error]);
  }

  /** The multipart copies still open (begun and neither completed nor aborted). */
  openUploads(): string[] {
    return [...this.uploads.keys()];
  }

  async locateBucket(bucket: string): Promise<BucketLocation> {
    this.enter('locateBucket', bucket);
    const found = this.buckets.get(bucket);
    if (found) return { status: 'found', region: found.region };
    return { status: 'missing', code: 'NoSuchBucket', message: `The bucket ${bucket} does not exist` };
  }

  async listObjects(bucket: BucketRef, prefix: string): Promise<StoredObject[]> {
    this.enter('listObjects', bucket.bucket);
    return [...this.bucketOf(bucket).objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, held]) => this.describe({ ...bucket, key }, held));
  }

  async headObject(object: ObjectRef): Promise<StoredObject | undefined> {
    this.enter('headObject', object.bucket);
    const held = this.bucketOf(object).objects.get(object.key);
    return held === undefined ? undefined : this.describe(object, held);
  }

  async getTags(object: ObjectRef): Promise<ObjectTags | undefined> {
    this.enter('getTags', object.bucket);
    const held = this.bucketOf(object).objects.get(object.key);
    return held === undefined ? undefined : { ...held.tags };
  }

  async putTags(object: ObjectRef, tags: ObjectTags): Promise<void> {
    this.enter('putTags', object.bucket);
    this.heldOf(object).tags = { ...tags };
  }

  async copyObject(request: CopyRequest): Promise<CopyOutcome> {
    this.enter('copyObject', request.target.bucket);
    const source = this.heldOf(request.source);
    this.bucketOf(request.target);
    if (source.bytes <= this.limits.maxSingleCopyBytes) {
      this.putObject(request.target, source.bytes, request.tags);
      return { status: 'copied', parts: 1 };
    }
    const uploadId = request.uploadId ?? `upload-${++this.uploadSeq}`;
    const upload = this.uploads.get(uploadId) ?? this.begin(uploadId, request);
    const parts = copyPartsOf(source.bytes, this.limits);
    const copied = await copyRemainingParts(
      parts,
      upload.parts,
      async (part) => `"etag-${part.partNumber}"`,
      request.hasTimeLeft,
    );
    for (const [partNumber, etag] of copied.etags) upload.parts.set(partNumber, etag);
    if (!copied.complete) {
      return { status: 'incomplete', uploadId, partsCopied: upload.parts.size, parts: parts.length };
    }
    this.uploads.delete(uploadId);
    this.putObject(upload.target, source.bytes, upload.tags);
    return { status: 'copied', parts: parts.length };
  }

  async abortCopy(target: ObjectRef, uploadId: string): Promise<void> {
    this.enter('abortCopy', target.bucket);
    this.uploads.delete(uploadId);
  }

  async deleteObject(object: ObjectRef): Promise<void> {
    this.enter('deleteObject', object.bucket);
    this.bucketOf(object).objects.delete(object.key);
  }

  private begin(uploadId: string, request: CopyRequest): Upload {
    if (request.uploadId !== undefined) {
      throw new ObjectStoreError(
        'NoSuchUpload',
        'not-found',
        request.target.bucket,
        `NoSuchUpload on bucket "${request.target.bucket}": the multipart upload ${uploadId} does not exist`,
      );
    }
    const upload = { target: request.target, tags: { ...request.tags }, parts: new Map<number, string>() };
    this.uploads.set(uploadId, upload);
    return upload;
  }

  private enter(operation: ObjectStoreOperation, bucket: string): void {
    this.calls.push({ operation, bucket });
    const fault = this.scripted.get(operation)?.shift();
    if (fault) throw fault;
  }

  private bucketOf(ref: BucketRef): { region: string; objects: Map<string, Held> } {
    const found = this.buckets.get(ref.bucket);
    if (found) return found;
    throw new ObjectStoreError(
      'NoSuchBucket',
      'not-found',
      ref.bucket,
      `NoSuchBucket on bucket "${ref.bucket}": the bucket does not exist`,
    );
  }

  private heldOf(object: ObjectRef): Held {
    const held = this.bucketOf(object).objects.get(object.key);
    if (held) return held;
    throw new ObjectStoreError(
      'NoSuchKey',
      'not-found',
      object.bucket,
      `NoSuchKey on bucket "${object.bucket}": the key ${object.key} does not exist`,
    );
  }

  private describe(object: ObjectRef, held: Held): StoredObject {
    const { bucket, region, key } = object;
    return { bucket, region, key, bytes: held.bytes, lastModified: new Date(held.lastModified) };
  }
}
