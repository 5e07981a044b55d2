/**
 * s3rver's filesystem store with LastModified taken from a given clock instead of the files' mtime, so
 * objects written under a simulated clock age with it (retention by age sees the simulated time).
 */
import { createRequire } from 'node:module';
import type FilesystemStoreType from 's3rver/lib/stores/filesystem.js';

const require = createRequire(import.meta.url);
const FilesystemStore: typeof FilesystemStoreType = require('s3rver/lib/stores/filesystem.js');

/** Builds a store rooted at `directory` whose writes are stamped with `clock()`. */
export function createClockedStore(directory: string, clock: () => Date): FilesystemStoreType {
  const written = new Map<string, Date>();
  const keyOf = (bucket: string, key: string) => `${bucket}/${key}`;

  class ClockedStore extends FilesystemStore {
    override async getMetadata(bucket: string, key: string) {
      const metadata = await super.getMetadata(bucket, key);
      const at = written.get(keyOf(bucket, key));
      return at ? { ...metadata, 'last-modified': at.toUTCString() } : metadata;
    }

    override async putObject(object: { bucket: string; key: string }) {
      const result = await super.putObject(object);
      written.set(keyOf(object.bucket, object.key), clock());
      return result;
    }

    override async copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      metadata: unknown,
    ) {
      written.set(keyOf(destBucket, destKey), clock());
      return super.copyObject(srcBucket, srcKey, destBucket, destKey, metadata);
    }

    override async deleteObject(bucket: string, key: string) {
      await super.deleteObject(bucket, key);
      written.delete(keyOf(bucket, key));
    }
  }
  return new ClockedStore(directory);
}
