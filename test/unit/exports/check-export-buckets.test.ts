import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import { ObjectStoreError } from '#lib/errors';
import { checkExportBuckets } from '#lib/exports/check-export-buckets';
import type { ExportRule } from '#lib/policy/types';

function storeWith(buckets: Record<string, string>): InMemoryObjectStore {
  const store = new InMemoryObjectStore();
  for (const [bucket, region] of Object.entries(buckets)) store.createBucket(bucket, region);
  return store;
}

const rule = (overrides: Partial<ExportRule> = {}): { export: ExportRule } => ({
  export: {
    bucket: 'orders-x',
    every: 1,
    retention: undefined,
    replicateTo: { bucket: 'orders-dr', region: 'eu-central-1' },
    ...overrides,
  },
});

describe('checkExportBuckets', () => {
  it('finds nothing wrong with buckets that exist where they should, locating each once', async () => {
    const store = storeWith({ 'orders-x': 'eu-west-1', 'orders-dr': 'eu-central-1' });

    expect(await checkExportBuckets({ objects: store }, rule(), 'eu-west-1')).toEqual([]);
    expect(store.calls).toEqual([
      { operation: 'locateBucket', bucket: 'orders-x' },
      { operation: 'locateBucket', bucket: 'orders-dr' },
    ]);
  });

  it('asks nothing of S3 for a policy without exports', async () => {
    const store = storeWith({});

    expect(await checkExportBuckets({ objects: store }, { export: undefined }, 'eu-west-1')).toEqual([]);
    expect(store.calls).toEqual([]);
  });

  it('names export.bucket when the bucket is missing, and export.replicateTo.bucket when the copy bucket is', async () => {
    const issues = await checkExportBuckets({ objects: storeWith({}) }, rule(), 'eu-west-1');

    expect(issues).toEqual([
      { attribute: 'export.bucket', message: 'bucket "orders-x" does not exist' },
      { attribute: 'export.replicateTo.bucket', message: 'bucket "orders-dr" does not exist' },
    ]);
  });

  it("names export.bucket when the bucket is not in the cache's region, and replicateTo.region when the copy bucket is elsewhere", async () => {
    const store = storeWith({ 'orders-x': 'us-east-1', 'orders-dr': 'eu-west-2' });

    const issues = await checkExportBuckets({ objects: store }, rule(), 'eu-west-1');

    expect(issues).toEqual([
      {
        attribute: 'export.bucket',
        message:
          'bucket "orders-x" is in us-east-1, not in the cache\'s region eu-west-1 (ElastiCache exports only to a bucket in the snapshot\'s region)',
      },
      {
        attribute: 'export.replicateTo.region',
        message: 'bucket "orders-dr" is in eu-west-2, not in eu-central-1',
      },
    ]);
  });

  it('says what to grant when the orchestrator may not locate a bucket', async () => {
    const store = storeWith({ 'orders-x': 'eu-west-1' });
    store.locateBucket = async (bucket) =>
      bucket === 'orders-dr'
        ? { status: 'denied', code: 'AccessDenied', message: 'AccessDenied on bucket "orders-dr"' }
        : { status: 'found', region: 'eu-west-1' };

    const [issue] = await checkExportBuckets({ objects: store }, rule(), 'eu-west-1');

    expect(issue).toEqual({
      attribute: 'export.replicateTo.bucket',
      message: expect.stringContaining(
        'may not locate bucket "orders-dr" (AccessDenied): name it in the deploy parameter exportBuckets',
      ),
    });
  });

  it('throws a transient fault of S3 instead of judging the policy on it', async () => {
    const store = storeWith({ 'orders-x': 'eu-west-1', 'orders-dr': 'eu-central-1' });
    const throttled = new ObjectStoreError(
      'SlowDown',
      'transient',
      'orders-x',
      'SlowDown on bucket "orders-x"',
    );
    store.failNext('locateBucket', throttled);

    await expect(checkExportBuckets({ objects: store }, rule(), 'eu-west-1')).rejects.toBe(throttled);
  });
});
