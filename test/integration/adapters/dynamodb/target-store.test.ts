import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { DynamoTargetTable } from '#lib/adapters/dynamodb/target-table';
import { targetStoreOf } from '#lib/targets/target-store';
import { type LocalDynamo, startLocalDynamo } from '#test/integration/adapters/support/local-dynamo';
import { describeTargetStoreContract } from '#test/unit/adapters/contract/target-store-contract';

/** A small page size makes the listings in the contract span several pages. */
const PAGE_SIZE = 5;

describe('TargetStore on dynalite (DynamoPolicyStore and DynamoTargetTable, tables from serverless.yml)', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  describeTargetStoreContract(async () => {
    const policies = new DynamoPolicyStore({
      client: dynamo.client,
      tableName: await dynamo.createTable('PoliciesTable'),
      pageSize: PAGE_SIZE,
    });
    const table = new DynamoTargetTable({
      client: dynamo.client,
      tableName: await dynamo.createTable('TargetsTable'),
      pageSize: PAGE_SIZE,
    });
    return { policies, targets: targetStoreOf(policies, table) };
  });
});
