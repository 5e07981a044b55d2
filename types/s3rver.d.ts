declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string }[];
  }
  class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** The object store: replaced by a subclass of FilesystemStore to stamp objects with a test clock. */
    store: unknown;
    context: { store: unknown };
  }
  export default S3rver;
}

declare module 's3rver/lib/stores/filesystem.js' {
  /** s3rver's on-disk store (3.7.1); only the members the local stack overrides are declared. */
  class FilesystemStore {
    constructor(rootDirectory: string);
    getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
    putObject(object: { bucket: string; key: string }): Promise<{ size: number; md5: string }>;
    copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      replacementMetadata: unknown,
    ): Promise<Record<string, string | number>>;
    deleteObject(bucket: string, key: string): Promise<void>;
    putBucket(bucket: string): Promise<unknown>;
    deleteBucket(bucket: string): Promise<void>;
    /** The path of `resource` of a key (or, with no key, of the bucket: `uploads` is its multipart uploads). */
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  }
  export = FilesystemStore;
}
