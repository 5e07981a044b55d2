import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ObjectStoreError } from '#lib/errors';
import { type CopyLimits, DEFAULT_COPY_LIMITS } from '#lib/exports/copy-plan';
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
import { classifyS3Error } from './classify-error';
import { copyInParts, copySource, taggingHeader } from './multipart-copy';

/** ListObjectsV2's largest page. */
const LIST_PAGE_SIZE = 1000;

export interface S3ObjectStoreOptions {
  /** The S3 client of a region (s3ClientsByRegion). */
  readonly clientFor: (region: string) => S3Client;
  /** Where copies switch to multipart, and the part size: S3's limits unless a test shrinks them. */
  readonly limits?: CopyLimits;
  readonly pageSize?: number;
}

/**
 * ObjectStore on the S3 API. Every call goes to the client of the bucket's region and every error leaves as
 * an ObjectStoreError (classifyS3Error) naming the bucket. The client's standard retry (3 attempts, for
 * throttling, 5xx and network errors) runs first, inside each call.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly limits: CopyLimits;
  private readonly pageSize: number;

  constructor(private readonly options: S3ObjectStoreOptions) {
    this.limits = options.limits ?? DEFAULT_COPY_LIMITS;
    this.pageSize = options.pageSize ?? LIST_PAGE_SIZE;
  }

  async locateBucket(bucket: string, askRegion: string): Promise<BucketLocation> {
    try {
      const command = new GetBucketLocationCommand({ Bucket: bucket });
      const { LocationConstraint } = await this.options.clientFor(askRegion).send(command);
      // GetBucketLocation answers no constraint for us-east-1 and the legacy `EU` for eu-west-1.
      const constraint: string = LocationConstraint ?? '';
      return {
        status: 'found',
        region: constraint === '' ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint,
      };
    } catch (error) {
      const fault = classifyS3Error(error, bucket);
      if (fault.code === 'NoSuchBucket')
        return { status: 'missing', code: fault.code, message: fault.message };
      if (fault.code === 'AccessDenied')
        return { status: 'denied', code: fault.code, message: fault.message };
      throw fault;
    }
  }

  async listObjects(bucket: BucketRef, prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let ContinuationToken: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: bucket.bucket,
        Prefix: prefix,
        MaxKeys: this.pageSize,
        ContinuationToken,
      });
      const page = await this.send(bucket, () => this.client(bucket).send(command));
      for (const entry of page.Contents ?? []) {
        if (entry.Key === undefined) continue;
        objects.push({ ...bucket, key: entry.Key, bytes: entry.Size ?? 0, lastModified: entry.LastModified });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
    return objects;
  }

  async headObject(object: ObjectRef): Promise<StoredObject | undefined> {
    const command = new HeadObjectCommand({ Bucket: object.bucket, Key: object.key });
    const head = await this.unlessMissing(object, () => this.client(object).send(command));
    if (head === undefined) return undefined;
    return { ...refOf(object), bytes: head.ContentLength ?? 0, lastModified: head.LastModified };
  }

  async getTags(object: ObjectRef): Promise<ObjectTags | undefined> {
    const command = new GetObjectTaggingCommand({ Bucket: object.bucket, Key: object.key });
    const output = await this.unlessMissing(object, () => this.client(object).send(command));
    if (output === undefined) return undefined;
    const tags: Record<string, string> = {};
    for (const tag of output.TagSet ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    return tags;
  }

  async putTags(object: ObjectRef, tags: ObjectTags): Promise<void> {
    const TagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const command = new PutObjectTaggingCommand({
      Bucket: object.bucket,
      Key: object.key,
      Tagging: { TagSet },
    });
    await this.send(object, () => this.client(object).send(command));
  }

  async copyObject(request: CopyRequest): Promise<CopyOutcome> {
    const { source, target } = request;
    if (source.bytes <= this.limits.maxSingleCopyBytes) {
      const command = new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: copySource(source),
        MetadataDirective: 'COPY',
        TaggingDirective: 'REPLACE',
        Tagging: taggingHeader(request.tags),
      });
      await this.send(target, () => this.client(target).send(command));
      return { status: 'copied', parts: 1 };
    }
    return copyInParts(this.client(target), request, this.limits, (error) =>
      classifyS3Error(error, target.bucket, target.key),
    );
  }

  async abortCopy(target: ObjectRef, uploadId: string): Promise<void> {
    const command = new AbortMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      UploadId: uploadId,
    });
    try {
      await this.send(target, () => this.client(target).send(command));
    } catch (error) {
      if (classifyS3Error(error, target.bucket).code !== 'NoSuchUpload') throw error;
    }
  }

  async deleteObject(object: ObjectRef): Promise<void> {
    const command = new DeleteObjectCommand({ Bucket: object.bucket, Key: object.key });
    await this.send(object, () => this.client(object).send(command));
  }

  private client(bucket: BucketRef): S3Client {
    return this.options.clientFor(bucket.region);
  }

  private async send<T>(where: BucketRef & { key?: string }, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw classifyS3Error(error, where.bucket, where.key);
    }
  }

  /**
   * `undefined` instead of a missing key. A missing bucket stays a fault: HeadObject's 404 cannot tell the
   * two apart (a HEAD answer has no body), so a 404 from it is followed by one HeadBucket.
   */
  private async unlessMissing<T>(object: ObjectRef, request: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.send(object, request);
    } catch (error) {
      const fault = classifyS3Error(error, object.bucket, object.key);
      if (fault.code === 'NoSuchKey') return undefined;
      if (fault.code !== 'NotFound') throw fault;
      const bucketHead = new HeadBucketCommand({ Bucket: object.bucket });
      const bucketFault = await this.client(object)
        .send(bucketHead)
        .then(
          () => undefined,
          (headError: unknown) => classifyS3Error(headError, object.bucket),
        );
      if (bucketFault === undefined) return undefined;
      if (bucketFault.code !== 'NotFound') throw bucketFault;
      throw new ObjectStoreError(
        'NoSuchBucket',
        'not-found',
        object.bucket,
        `NoSuchBucket on bucket "${object.bucket}": the bucket does not exist`,
        { cause: bucketFault, httpStatus: 404 },
      );
    }
  }
}

function refOf(object: ObjectRef): ObjectRef {
  return { bucket: object.bucket, region: object.region, key: object.key };
}
