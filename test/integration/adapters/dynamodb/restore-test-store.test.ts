import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRestoreTestStore } from '#lib/adapters/dynamodb/restore-test-store';
import { DynamoRunStore } from '#lib/adapters/dynamodb/run-store';
import { RESTORE_TEST_BUCKET } from '#lib/adapters/restore-test-items';
import { type LocalDynamo, startLocalDynamo } from '#test/integration/adapters/support/local-dynamo';
import { at, collect, runRecord } from '#test/unit/adapters/contract/fixtures';
import {
  describeRestoreTestStoreContract,
  restoreTest,
} from '#test/unit/adapters/contract/restore-test-store-contract';

describe('DynamoRestoreTestStore on dynalite', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const createTable = () => dynamo.createTable('RunsTable');

  describeRestoreTestStoreContract(
    async () =>
      new DynamoRestoreTestStore({ client: dynamo.client, tableName: await createTable(), pageSize: 1 }),
  );

  it('keeps tests in the runs table beside the runs, each store seeing only its own', async () => {
    const tableName = await createTable();
    const tests = new DynamoRestoreTestStore({ client: dynamo.client, tableName });
    const runs = new DynamoRunStore({ client: dynamo.client, tableName });
    await runs.create(
      runRecord('p1', at(0), { cacheName: 'orders', status: 'REQUESTED', nextCheckAt: at(0) }),
    );
    await tests.create(restoreTest('p1', at(0)));

    const { Items = [] } = await dynamo.client.scan({ TableName: tableName });
    const test = Items.find((item) => item.kind === 'RESTORE_TEST');
    expect(test).toMatchObject({
      policyId: 'p1',
      cacheName: 'orders',
      slot: at(0),
      runKey: `orders#${at(0)}#RESTORE_TEST`,
      openBucket: RESTORE_TEST_BUCKET,
    });
    expect((await collect(runs.listByPolicy('p1'))).map((run) => run.kind)).toEqual(['SCHEDULED']);
    expect(await collect(runs.listOpen(at(5)))).toHaveLength(1);
    expect((await collect(tests.listOpen(at(5)))).map((record) => record.kind)).toEqual(['RESTORE_TEST']);
  });
});
