/**
 * The orchestrator's view of S3, free of SDK types: what exports need of the buckets they write to and copy
 * to. The S3 adapter (lib/adapters/s3) is the only code that knows S3's fault names: every call fails with an
 * ObjectStoreError with a FaultClass. An in-memory implementation (lib/adapters/memory/object-store.ts)
 * keeps the same contract (test/unit/adapters/contract/object-store-contract.ts).
 */

/** A bucket, and the region it is in: every call about it goes to that region's endpoint. */
export interface BucketRef {
  readonly bucket: string;
  readonly region: string;
}

/** An object: a key in a bucket. */
export interface ObjectRef extends BucketRef {
  readonly key: string;
}

/** An object as a listing or HeadObject describes it. */
export interface StoredObject extends ObjectRef {
  readonly bytes: number;
  readonly lastModified: Date | undefined;
}

/** Object tags, key to value (S3 allows 10 per object). */
export type ObjectTags = Readonly<Record<string, string>>;

/**
 * Where GetBucketLocation says a bucket is: its region, or why it cannot tell (`missing`: NoSuchBucket;
 * `denied`: the caller may not ask, which a bucket of another account answers unless its policy allows it).
 */
export type BucketLocation =
  | { readonly status: 'found'; readonly region: string }
  | { readonly status: 'missing' | 'denied'; readonly code: string; readonly message: string };

export interface CopyRequest {
  /** What to copy; its size decides between CopyObject and a multipart copy. */
  readonly source: StoredObject;
  readonly target: ObjectRef;
  /** The copy's tags, set by the request that creates it: the copy never exists without them. */
  readonly tags: ObjectTags;
  /** A multipart copy begun earlier (CopyOutcome `incomplete`): its parts already copied are kept. */
  readonly uploadId?: string;
  /** Asked before each part of a multipart copy: once false, no part is started and the copy is left open. */
  readonly hasTimeLeft?: () => boolean;
}

/**
 * What a copy achieved: `copied` (the target exists, with its tags), or `incomplete` (a multipart copy
 * stopped by `hasTimeLeft`, resumable with its `uploadId`, or to be given up with `abortCopy`).
 */
export type CopyOutcome =
  | { readonly status: 'copied'; readonly parts: number }
  | {
      readonly status: 'incomplete';
      readonly uploadId: string;
      readonly partsCopied: number;
      readonly parts: number;
    };

export interface ObjectStore {
  /** The bucket's region by GetBucketLocation; `askRegion` is where to ask (any region answers). */
  locateBucket(bucket: string, askRegion: string): Promise<BucketLocation>;
  /** Every object whose key starts with `prefix`, in key order (all pages). */
  listObjects(bucket: BucketRef, prefix: string): Promise<StoredObject[]>;
  /** One object, or undefined when there is no such key. */
  headObject(object: ObjectRef): Promise<StoredObject | undefined>;
  /** The object's tags, or undefined when there is no such key. */
  getTags(object: ObjectRef): Promise<ObjectTags | undefined>;
  /** Replaces the object's tags (PutObjectTagging); `not-found` when there is no such key. */
  putTags(object: ObjectRef, tags: ObjectTags): Promise<void>;
  /** Copies an object within S3 (across buckets, regions and accounts), server side. */
  copyObject(request: CopyRequest): Promise<CopyOutcome>;
  /** Gives up a multipart copy left `incomplete`, freeing its parts; an upload already gone is no error. */
  abortCopy(target: ObjectRef, uploadId: string): Promise<void>;
  /** Deletes one object; a key already gone is no error (as S3's DeleteObject). */
  deleteObject(object: ObjectRef): Promise<void>;
}
