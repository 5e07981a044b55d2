import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRunStore, OPEN_BUCKET } from '#lib/adapters/dynamodb/run-store';
import { type LocalDynamo, startLocalDynamo } from '#test/integration/adapters/support/local-dynamo';
import { at, collect, runRecord } from '#test/unit/adapters/contract/fixtures';
import { describeRunStoreContract } from '#test/unit/adapters/contract/run-store-contract';

/** A small page size makes every listing in the contract span several pages. */
const PAGE_SIZE = 5;

describe('DynamoRunStore on dynalite', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const createTable = () => dynamo.createTable('RunsTable');

  describeRunStoreContract(
    async () =>
      new DynamoRunStore({ client: dynamo.client, tableName: await createTable(), pageSize: PAGE_SIZE }),
  );

  it('stores openBucket only on open runs that have a next check', async () => {
    const tableName = await createTable();
    const store = new DynamoRunStore({ client: dynamo.client, tableName });
    await store.create(runRecord('open', at(0), { status: 'REQUESTED', nextCheckAt: at(1) }));
    await store.create(runRecord('unscheduled', at(0), { status: 'REQUESTED', nextCheckAt: undefined }));
    await store.create(runRecord('done', at(0), { status: 'AVAILABLE', nextCheckAt: at(1) }));
    const { Items = [] } = await dynamo.client.scan({ TableName: tableName });
    const buckets = Object.fromEntries(Items.map((item) => [item.policyId, item.openBucket]));
    expect(buckets).toEqual({ open: OPEN_BUCKET, unscheduled: undefined, done: undefined });
  });

  it('stores policyId, cacheName, slot and kind as plain attributes beside runKey, and reads an item without kind as SCHEDULED', async () => {
    const tableName = await createTable();
    const store = new DynamoRunStore({ client: dynamo.client, tableName });
    await store.create(runRecord('p1', at(0), { kind: 'ON_DEMAND' }));
    const { kind: _kind, ...legacy } = runRecord('p1', at(60), { status: 'AVAILABLE' });
    await dynamo.client.put({ TableName: tableName, Item: { ...legacy, runKey: `orders-cache#${at(60)}` } });
    const { Items = [] } = await dynamo.client.scan({ TableName: tableName });
    expect(Items.find((item) => item.kind === 'ON_DEMAND')).toMatchObject({
      policyId: 'p1',
      runKey: `orders-cache#${at(0)}#ON_DEMAND`,
      cacheName: 'orders-cache',
      slot: at(0),
    });
    const listed = await collect(
      store.listByPolicy('p1', { cacheName: 'orders-cache', statuses: ['AVAILABLE'] }),
    );
    expect(listed).toEqual([runRecord('p1', at(60), { status: 'AVAILABLE' })]);
  });
});
