import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import {
  type ExportMark,
  exportTags,
  findExportedObjects,
  isExportKeyOf,
  listDeploymentExports,
  readExportMark,
} from '#lib/exports/export-objects';

const BUCKET = { bucket: 'orders-exports', region: 'eu-west-1' };
const SNAPSHOT = 'orders-20260101-0000-0a1b2c3d';
const MARK: ExportMark = {
  deployment: 'cache-snapshot-orchestrator-prod',
  policyId: 'orders-hourly',
  cacheName: 'orders',
  slot: '2026-01-01T00:00:00.000Z',
  kind: 'SCHEDULED',
};

describe('export marks', () => {
  it('tags an export with the managed tag, the deployment and its run, and reads the mark back', () => {
    const tags = exportTags(MARK);

    expect(tags).toEqual({
      'managed-by': 'cache-snapshot-orchestrator',
      'snapshot-orchestrator-deployment': 'cache-snapshot-orchestrator-prod',
      'snapshot-policy-id': 'orders-hourly',
      'snapshot-cache-name': 'orders',
      'snapshot-slot': '2026-01-01T00:00:00.000Z',
      'snapshot-kind': 'SCHEDULED',
    });
    expect(readExportMark(tags)).toEqual(MARK);
  });

  it.each([
    ['no tags', undefined],
    ['an untagged object', {}],
    ['another tool’s managed-by', { ...exportTags(MARK), 'managed-by': 'someone-else' }],
    ['a mark without its deployment', { ...exportTags(MARK), 'snapshot-orchestrator-deployment': '' }],
  ])('reads no mark from %s', (_, tags) => {
    expect(readExportMark(tags)).toBeUndefined();
  });
});

describe('finding exports', () => {
  it('knows the keys ElastiCache writes for a snapshot, and no others', () => {
    expect(isExportKeyOf(SNAPSHOT, `${SNAPSHOT}-0001.rdb`)).toBe(true);
    expect(isExportKeyOf(SNAPSHOT, `${SNAPSHOT}-0012.rdb`)).toBe(true);
    expect(isExportKeyOf(SNAPSHOT, `${SNAPSHOT}-0001-0001.rdb`)).toBe(false);
    expect(isExportKeyOf(SNAPSHOT, `${SNAPSHOT}.rdb`)).toBe(false);
    expect(isExportKeyOf('a.b', 'axb-0001.rdb')).toBe(false);
  });

  it("finds an export's objects by their prefix, leaving out a longer snapshot name's", async () => {
    const store = new InMemoryObjectStore();
    store.createBucket(BUCKET.bucket, BUCKET.region);
    for (const key of [`${SNAPSHOT}-0002.rdb`, `${SNAPSHOT}-0001.rdb`, `${SNAPSHOT}-x-0001.rdb`]) {
      store.putObject({ ...BUCKET, key }, 100);
    }

    const found = await findExportedObjects(store, BUCKET, SNAPSHOT);

    expect(found.map((object) => object.key)).toEqual([`${SNAPSHOT}-0001.rdb`, `${SNAPSHOT}-0002.rdb`]);
    expect(store.calls.map((call) => call.operation)).toEqual(['listObjects']);
  });

  it("lists only this deployment's marked exports under a prefix, with their marks", async () => {
    const store = new InMemoryObjectStore();
    store.createBucket(BUCKET.bucket, BUCKET.region);
    const other = { ...MARK, deployment: 'cache-snapshot-orchestrator-dev' };
    store.putObject({ ...BUCKET, key: 'orders-a-0001.rdb' }, 1, exportTags(MARK));
    store.putObject({ ...BUCKET, key: 'orders-b-0001.rdb' }, 1, exportTags(other));
    store.putObject({ ...BUCKET, key: 'orders-c-0001.rdb' }, 1);
    store.putObject({ ...BUCKET, key: 'orders-d.json' }, 1, exportTags(MARK));
    store.putObject({ ...BUCKET, key: 'payments-0001.rdb' }, 1, exportTags(MARK));

    const ours = await listDeploymentExports(store, BUCKET, 'orders-', MARK.deployment);

    expect(ours.map((marked) => [marked.object.key, marked.mark])).toEqual([['orders-a-0001.rdb', MARK]]);
  });
});
