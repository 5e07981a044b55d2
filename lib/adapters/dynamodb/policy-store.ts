import {
  advanceChanges,
  DUE_BUCKET,
  fromStoredPolicyItem,
  mergeChanges,
  newestSnapshotChanges,
  summaryChanges,
  syncResultChanges,
  toStoredPolicyItem,
} from '#lib/adapters/policy-items';
import { ConditionalWriteError } from '#lib/errors';
import type { PolicyStore, SyncResult } from '#lib/policy/policy-store';
import type {
  LastRunSummary,
  NewestSnapshotSummary,
  PolicyItem,
  RestoreTestSummary,
  SlotSummaries,
} from '#lib/policy/types';
import { toMarshallableItem } from './document-values';
import { ExpressionBuilder } from './expression-builder';
import type { ItemClient } from './item-client';
import { buildOperatorCondition } from './operator-condition';
import { summaryConditionTerms } from './summary-condition';
import { callTable, paginateItems } from './table-call';

export { DUE_BUCKET };

/** BatchGetItem's largest request. */
const BATCH_GET_KEYS = 100;

/** The policies table's sparse index of ACTIVE items by `nextRunAt` (serverless.yml). */
export const DUE_INDEX = 'due-index';

/** Options of DynamoPolicyStore; `pageSize` (Query/Scan `Limit`) exists for tests of pagination. */
export interface DynamoPolicyStoreOptions {
  readonly client: ItemClient;
  readonly tableName: string;
  readonly pageSize?: number;
}

/**
 * PolicyStore on the policies table. Every SDK error becomes ConditionalWriteError or StoreError.
 * Gets are strongly consistent; the due index, like every GSI, is eventually consistent.
 */
export class DynamoPolicyStore implements PolicyStore {
  private readonly client: ItemClient;
  private readonly tableName: string;
  private readonly pageSize: number | undefined;

  constructor(options: DynamoPolicyStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.pageSize = options.pageSize;
  }

  async get(policyId: string): Promise<PolicyItem | undefined> {
    const input = { TableName: this.tableName, Key: { policyId }, ConsistentRead: true };
    const item = await this.call('GetItem', () => this.client.get(input));
    return item === undefined ? undefined : fromStoredPolicyItem(item, this.tableName);
  }

  /**
   * Strongly consistent BatchGetItem, 100 keys a request. Keys DynamoDB leaves unprocessed (throttling) are
   * read one by one with `get`, whose SDK retries back off, rather than re-sent in a tight loop.
   */
  async getMany(policyIds: readonly string[]): Promise<Map<string, PolicyItem>> {
    const items = new Map<string, PolicyItem>();
    const ids = [...new Set(policyIds)];
    for (let start = 0; start < ids.length; start += BATCH_GET_KEYS) {
      const keys = ids.slice(start, start + BATCH_GET_KEYS).map((policyId) => ({ policyId }));
      const input = { tableName: this.tableName, keys, consistentRead: true };
      const output = await this.call('BatchGetItem', () => this.client.batchGet(input));
      for (const stored of output.items) {
        const item = fromStoredPolicyItem(stored, this.tableName);
        items.set(item.policyId, item);
      }
      for (const key of output.unprocessedKeys) {
        const item = await this.get(String(key.policyId));
        if (item) items.set(item.policyId, item);
      }
    }
    return items;
  }

  async *listAll(): AsyncIterable<PolicyItem> {
    const call = { operation: 'Scan', tableName: this.tableName };
    const pages = paginateItems(call, (ExclusiveStartKey) =>
      this.client.scan({ TableName: this.tableName, Limit: this.pageSize, ExclusiveStartKey }),
    );
    for await (const item of pages) yield fromStoredPolicyItem(item, this.tableName);
  }

  async *listDue(at: string): AsyncIterable<PolicyItem> {
    const input = {
      TableName: this.tableName,
      IndexName: DUE_INDEX,
      KeyConditionExpression: 'dueBucket = :bucket AND nextRunAt <= :at',
      ExpressionAttributeValues: { ':bucket': DUE_BUCKET, ':at': at },
      Limit: this.pageSize,
    };
    const call = { operation: 'Query', tableName: this.tableName, detail: DUE_INDEX };
    const pages = paginateItems(call, (ExclusiveStartKey) =>
      this.client.query({ ...input, ExclusiveStartKey }),
    );
    for await (const item of pages) yield fromStoredPolicyItem(item, this.tableName);
  }

  async put(item: PolicyItem): Promise<void> {
    const input = { TableName: this.tableName, Item: toMarshallableItem(toStoredPolicyItem(item)) };
    await this.call('PutItem', () => this.client.put(input));
  }

  async delete(policyId: string): Promise<void> {
    const input = { TableName: this.tableName, Key: { policyId } };
    await this.call('DeleteItem', () => this.client.delete(input));
  }

  async writeSyncResult(basis: PolicyItem, result: SyncResult): Promise<void> {
    const builder = new ExpressionBuilder();
    const UpdateExpression = builder.update(syncResultChanges(result));
    const ConditionExpression = buildOperatorCondition(builder, basis);
    await this.update(basis.policyId, 'writeSyncResult', builder, UpdateExpression, ConditionExpression);
  }

  async advanceNextRun(
    policyId: string,
    from: string,
    to: string,
    summaries: Partial<SlotSummaries> = {},
  ): Promise<void> {
    const builder = new ExpressionBuilder();
    const UpdateExpression = builder.update(mergeChanges(advanceChanges(to), summaryChanges(summaries)));
    const terms = [`${builder.name('nextRunAt')} = ${builder.value(from)}`];
    const ConditionExpression = [...terms, ...summaryConditionTerms(builder, summaries)].join(' AND ');
    await this.update(policyId, 'advanceNextRun', builder, UpdateExpression, ConditionExpression);
  }

  async recordLastRun(policyId: string, summary: LastRunSummary): Promise<void> {
    await this.setSlotSummary(policyId, 'lastRun', summary);
  }

  async recordNewestSnapshot(policyId: string, summary: NewestSnapshotSummary): Promise<void> {
    await this.setSlotSummary(policyId, 'newestSnapshot', summary);
  }

  async recordTargetSummaries(
    policyId: string,
    cacheName: string,
    summaries: Partial<SlotSummaries>,
  ): Promise<boolean> {
    const builder = new ExpressionBuilder();
    const UpdateExpression = builder.update(summaryChanges(summaries));
    const terms = [`${builder.name('cacheName')} = ${builder.value(cacheName)}`];
    const ConditionExpression = [...terms, ...summaryConditionTerms(builder, summaries)].join(' AND ');
    try {
      await this.update(policyId, 'record summaries', builder, UpdateExpression, ConditionExpression);
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalWriteError)) throw err;
      return false;
    }
  }

  async replaceNewestSnapshot(
    policyId: string,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void> {
    const builder = new ExpressionBuilder();
    const UpdateExpression = builder.update(newestSnapshotChanges(next));
    const expected =
      expectedSlot === undefined
        ? `attribute_not_exists(${builder.name('newestSnapshot')})`
        : `${builder.path(['newestSnapshot', 'slot'])} = ${builder.value(expectedSlot)}`;
    const ConditionExpression = `attribute_exists(${builder.name('policyId')}) AND ${expected}`;
    await this.update(policyId, 'replace newestSnapshot', builder, UpdateExpression, ConditionExpression);
  }

  async recordRestoreTest(policyId: string, summary: RestoreTestSummary): Promise<void> {
    await this.setSlotSummary(policyId, 'lastRestoreTest', summary);
    if (summary.status === 'VERIFIED')
      await this.setSlotSummary(policyId, 'lastVerifiedRestoreTest', summary);
  }

  private async setSlotSummary<K extends keyof SlotSummaries>(
    policyId: string,
    attribute: K,
    summary: SlotSummaries[K],
  ): Promise<void> {
    const builder = new ExpressionBuilder();
    const UpdateExpression = builder.update({ set: { [attribute]: summary }, remove: [] });
    const storedSlot = builder.path([attribute, 'slot']);
    const ConditionExpression = `attribute_exists(${builder.name('policyId')}) AND (attribute_not_exists(${storedSlot}) OR ${storedSlot} <= ${builder.value(summary.slot)})`;
    try {
      await this.update(policyId, `record ${attribute}`, builder, UpdateExpression, ConditionExpression);
    } catch (err) {
      // The policy is gone, or a newer slot's summary is already there: nothing to record.
      if (!(err instanceof ConditionalWriteError)) throw err;
    }
  }

  private async update(
    policyId: string,
    purpose: string,
    builder: ExpressionBuilder,
    UpdateExpression: string,
    ConditionExpression: string,
  ): Promise<void> {
    const input = {
      TableName: this.tableName,
      Key: { policyId },
      UpdateExpression,
      ConditionExpression,
      ...builder.attributes(),
    };
    const call = { operation: 'UpdateItem', tableName: this.tableName, detail: `${purpose} ${policyId}` };
    await callTable(call, () => this.client.update(input));
  }

  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return callTable({ operation, tableName: this.tableName }, send);
  }
}
