import { loadOnce } from '#lib/load-once';
import type { SnapshotGateway } from './snapshot-gateway';

/**
 * A SnapshotGateway that builds the real one on its first call, once, and forwards every call to it.
 * With a dynamic `import()` in `load`, a process that never calls ElastiCache (a tick with nothing due and
 * nothing in flight) never evaluates the ElastiCache client. A failed load is not kept: the next call
 * tries again.
 */
export function lazySnapshotGateway(load: () => Promise<SnapshotGateway>): SnapshotGateway {
  const gateway = loadOnce(load);
  return {
    createSnapshot: async (request) => (await gateway()).createSnapshot(request),
    listSnapshots: async (cacheName) => (await gateway()).listSnapshots(cacheName),
    getSnapshot: async (snapshotName) => (await gateway()).getSnapshot(snapshotName),
    deleteSnapshot: async (snapshotName) => (await gateway()).deleteSnapshot(snapshotName),
    listTags: async (arn) => (await gateway()).listTags(arn),
    tagSnapshot: async (arn, tags) => (await gateway()).tagSnapshot(arn, tags),
    getCache: async (cacheName) => (await gateway()).getCache(cacheName),
    listCaches: async () => (await gateway()).listCaches(),
    exportSnapshot: async (snapshotName, bucket) => (await gateway()).exportSnapshot(snapshotName, bucket),
    createCache: async (request) => (await gateway()).createCache(request),
    deleteCache: async (cacheName) => (await gateway()).deleteCache(cacheName),
  };
}
