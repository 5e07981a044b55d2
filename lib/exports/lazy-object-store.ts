import { loadOnce } from '#lib/load-once';
import type { ObjectStore } from './object-store';

/**
 * An ObjectStore that builds the real one on its first call, once, and forwards every call to it. With a
 * dynamic `import()` in `load`, a process that never touches S3 (a tick with no export in flight, a policy
 * without `export`) never evaluates the S3 client. A failed load is not kept: the next call tries again.
 */
export function lazyObjectStore(load: () => Promise<ObjectStore>): ObjectStore {
  const store = loadOnce(load);
  return {
    locateBucket: async (bucket, askRegion) => (await store()).locateBucket(bucket, askRegion),
    listObjects: async (bucket, prefix) => (await store()).listObjects(bucket, prefix),
    headObject: async (object) => (await store()).headObject(object),
    getTags: async (object) => (await store()).getTags(object),
    putTags: async (object, tags) => (await store()).putTags(object, tags),
    copyObject: async (request) => (await store()).copyObject(request),
    abortCopy: async (target, uploadId) => (await store()).abortCopy(target, uploadId),
    deleteObject: async (object) => (await store()).deleteObject(object),
  };
}
