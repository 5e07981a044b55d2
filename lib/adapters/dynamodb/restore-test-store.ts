import {
  fromRestoreTestItem,
  RESTORE_TEST_BUCKET,
  restoreTestRunKey,
  toRestoreTestItem,
} from '#lib/adapters/restore-test-items';
import { ConditionalWriteError, StoreError } from '#lib/errors';
import { logger } from '#lib/observability';
import type { RestoreTestStore } from '#lib/restore-tests/restore-test-store';
import { RESTORE_TEST_KIND, type RestoreTestKey, type RestoreTestRecord } from '#lib/restore-tests/types';
import { runKeyPrefix } from '#lib/runs/run-key';
import { ExpressionBuilder } from './expression-builder';
import type { ItemClient, QueryInput } from './item-client';
import { OPEN_INDEX } from './run-store';
import { callTable, paginateItems } from './table-call';

export interface DynamoRestoreTestStoreOptions {
  readonly client: ItemClient;
  /** The runs table: restore tests are runs of kind RESTORE_TEST. */
  readonly tableName: string;
  readonly pageSize?: number;
}

/**
 * RestoreTestStore on the runs table: one item per test (range key `<cacheName>#<slot>#RESTORE_TEST`),
 * every change one conditional PutItem of the whole record; open tests listed through the open index's
 * RESTORE_TEST partition. Reads by key are strongly consistent.
 */
export class DynamoRestoreTestStore implements RestoreTestStore {
  private readonly client: ItemClient;
  private readonly tableName: string;
  private readonly pageSize: number | undefined;

  constructor(options: DynamoRestoreTestStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.pageSize = options.pageSize;
  }

  async get(key: RestoreTestKey): Promise<RestoreTestRecord | undefined> {
    const input = {
      TableName: this.tableName,
      Key: { policyId: key.policyId, runKey: restoreTestRunKey(key) },
      ConsistentRead: true,
    };
    const item = await callTable({ operation: 'GetItem', tableName: this.tableName }, () =>
      this.client.get(input),
    );
    return item === undefined ? undefined : fromRestoreTestItem(item, this.tableName);
  }

  async create(record: RestoreTestRecord): Promise<boolean> {
    const input = {
      TableName: this.tableName,
      Item: toRestoreTestItem(record),
      ConditionExpression: 'attribute_not_exists(policyId)',
    };
    const detail = `create restore test ${record.policyId}/${restoreTestRunKey(record)}`;
    try {
      await callTable({ operation: 'PutItem', tableName: this.tableName, detail }, () =>
        this.client.put(input),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalWriteError) return false;
      throw err;
    }
  }

  async transition(next: RestoreTestRecord, expected: { readonly updatedAt: string }): Promise<void> {
    const builder = new ExpressionBuilder();
    const input = {
      TableName: this.tableName,
      Item: toRestoreTestItem(next),
      ConditionExpression: `${builder.name('updatedAt')} = ${builder.value(expected.updatedAt)}`,
      ...builder.attributes(),
    };
    const detail = `restore test ${next.policyId}/${restoreTestRunKey(next)} ${next.status}`;
    await callTable({ operation: 'PutItem', tableName: this.tableName, detail }, () =>
      this.client.put(input),
    );
  }

  listOpen(at: string): AsyncIterable<RestoreTestRecord> {
    const builder = new ExpressionBuilder();
    const KeyConditionExpression = `${builder.name('openBucket')} = ${builder.value(RESTORE_TEST_BUCKET)} AND ${builder.name('nextCheckAt')} <= ${builder.value(at)}`;
    return this.query(OPEN_INDEX, { IndexName: OPEN_INDEX, KeyConditionExpression, ...builder.attributes() });
  }

  listOfTarget(policyId: string, cacheName: string): AsyncIterable<RestoreTestRecord> {
    const builder = new ExpressionBuilder();
    const KeyConditionExpression = `${builder.name('policyId')} = ${builder.value(policyId)} AND begins_with(${builder.name('runKey')}, ${builder.value(runKeyPrefix(cacheName))})`;
    const FilterExpression = `${builder.name('kind')} = ${builder.value(RESTORE_TEST_KIND)}`;
    const input = { KeyConditionExpression, FilterExpression, ConsistentRead: true, ...builder.attributes() };
    return this.query(`restore tests of ${policyId}/${cacheName}`, input);
  }

  private async *query(
    detail: string,
    input: Omit<QueryInput, 'TableName'>,
  ): AsyncIterable<RestoreTestRecord> {
    const call = { operation: 'Query', tableName: this.tableName, detail };
    const pages = paginateItems(call, (ExclusiveStartKey) =>
      this.client.query({ ...input, TableName: this.tableName, Limit: this.pageSize, ExclusiveStartKey }),
    );
    for await (const item of pages) {
      try {
        yield fromRestoreTestItem(item, this.tableName);
      } catch (error) {
        // One record broken by hand must not stop every tick: logged each time it is listed, passed over.
        if (!(error instanceof StoreError)) throw error;
        logger.error('skipping a malformed restore test', {
          policyId: item.policyId,
          runKey: item.runKey,
          error,
        });
      }
    }
  }
}
