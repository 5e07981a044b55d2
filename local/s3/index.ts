/**
 * The local stack's S3: s3rver (objects, listing, copy, multipart upload, on disk in a temporary directory)
 * behind a front that adds bucket regions and multipart copy (see s3-front.ts). Reach it through
 * `AWS_ENDPOINT_URL_S3` with path-style addressing: the SDK has no environment variable for that, so clients
 * pass `forcePathStyle: true` (with an IP endpoint like this one the SDK picks path style on its own too).
 * Not modelled: ACLs, bucket policies, versioning, Object Lock, lifecycle rules, presigned URLs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { CredentialRegistry } from '#local/identity/credential-registry';
import { createClockedStore } from './clocked-store';
import { ObjectExtras } from './object-extras';
import { BucketRegions, listenS3Front, type S3Call } from './s3-front';

export type { S3Call } from './s3-front';

export interface LocalS3Options {
  /** Accepted credentials (expired temporary keys are refused); default: any key. */
  readonly credentials?: CredentialRegistry;
  /** Time stamped on objects as LastModified; default the wall clock. */
  readonly clock?: () => Date;
  readonly port?: number;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_S3`. */
  readonly endpoint: string;
  /** Creates a bucket in `region` (default us-east-1) without an API call; an existing one just moves region. */
  createBucket(bucket: string, region?: string): Promise<void>;
  /** Deletes a bucket and everything in it at once (as someone emptying and deleting it elsewhere). */
  removeBucket(bucket: string): Promise<void>;
  /** Places a bucket in `region` for GetBucketLocation and HeadBucket. */
  setBucketRegion(bucket: string, region: string): void;
  bucketRegion(bucket: string): string;
  /** Every request answered, oldest first: who signed it and what it asked (S3Call). */
  readonly calls: readonly S3Call[];
  stop(): Promise<void>;
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'local-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
  });
  const store = createClockedStore(directory, options.clock ?? (() => new Date()));
  server.store = store;
  server.context.store = store;
  const address = await server.run();
  const regions = new BucketRegions();
  const extras = new ObjectExtras((bucket) => store.getResourcePath(bucket, undefined, 'uploads'));
  const calls: S3Call[] = [];
  const front = await listenS3Front({
    calls,
    upstream: `http://127.0.0.1:${address.port}`,
    credentials: options.credentials ?? new CredentialRegistry('123456789012'),
    regions,
    extras,
    port: options.port,
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: front.endpoint,
    async createBucket(bucket, region = 'us-east-1') {
      await store.putBucket(bucket);
      regions.set(bucket, region);
    },
    async removeBucket(bucket) {
      await store.deleteBucket(bucket);
      regions.delete(bucket);
      extras.forgetBucket(bucket);
    },
    setBucketRegion: (bucket, region) => regions.set(bucket, region),
    bucketRegion: (bucket) => regions.get(bucket),
    calls,
    stop() {
      stopped ??= Promise.all([front.close(), server.close()]).then(() =>
        rm(directory, { recursive: true, force: true }),
      );
      return stopped;
    },
  };
}
