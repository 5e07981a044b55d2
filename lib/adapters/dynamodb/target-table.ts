import {
  advanceChanges,
  type ItemChanges,
  mergeChanges,
  newestSnapshotChanges,
  summaryChanges,
} from '#lib/adapters/policy-items';
import {
  DUE_BUCKET,
  enrolChanges,
  fromTargetItem,
  retireChanges,
  toDueTarget,
} from '#lib/adapters/target-items';
import { ConditionalWriteError } from '#lib/errors';
import type { NewestSnapshotSummary } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';
import type { DueTarget, Enrolment, TargetKey, TargetRecord, TargetSummaries } from '#lib/targets/types';
import { ExpressionBuilder } from './expression-builder';
import type { ItemClient } from './item-client';
import { summaryConditionTerms } from './summary-condition';
import { callTable, paginateItems } from './table-call';

/** The targets table's sparse index of ACTIVE targets by `nextRunAt` (serverless.yml). */
export const TARGETS_DUE_INDEX = 'due-index';

export interface DynamoTargetTableOptions {
  readonly client: ItemClient;
  readonly tableName: string;
  /** Query `Limit`, for tests of pagination. */
  readonly pageSize?: number;
}

/**
 * TargetTable on DynamoDB (HASH `policyId`, RANGE `cacheName`). Every write is one conditional UpdateItem;
 * reads by key and by policy are strongly consistent, the due index (a GSI) eventually consistent.
 */
export class DynamoTargetTable implements TargetTable {
  private readonly client: ItemClient;
  private readonly tableName: string;
  private readonly pageSize: number | undefined;

  constructor(options: DynamoTargetTableOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.pageSize = options.pageSize;
  }

  async get(key: TargetKey): Promise<TargetRecord | undefined> {
    const input = { TableName: this.tableName, Key: keyOf(key), ConsistentRead: true };
    const item = await callTable({ operation: 'GetItem', tableName: this.tableName }, () =>
      this.client.get(input),
    );
    return item === undefined ? undefined : fromTargetItem(item, this.tableName);
  }

  async *listByPolicy(policyId: string): AsyncIterable<TargetRecord> {
    const input = {
      KeyConditionExpression: 'policyId = :policyId',
      ExpressionAttributeValues: { ':policyId': policyId },
      ConsistentRead: true,
    };
    for await (const item of this.query(`targets of ${policyId}`, input)) {
      yield fromTargetItem(item, this.tableName);
    }
  }

  async *listDue(at: string): AsyncIterable<DueTarget> {
    const input = {
      IndexName: TARGETS_DUE_INDEX,
      KeyConditionExpression: 'dueBucket = :bucket AND nextRunAt <= :at',
      ExpressionAttributeValues: { ':bucket': DUE_BUCKET, ':at': at },
    };
    for await (const item of this.query(TARGETS_DUE_INDEX, input)) yield toDueTarget(item, this.tableName);
  }

  async enrol(enrolment: Enrolment): Promise<boolean> {
    const builder = new ExpressionBuilder();
    const condition = `attribute_not_exists(${builder.name('policyId')}) OR ${builder.name('state')} = ${builder.value('RETIRED')}`;
    return this.tryUpdate(enrolment, 'enrol', builder, enrolChanges(enrolment), condition);
  }

  async retire(key: TargetKey, retiredAt: string, retiredReason: string): Promise<boolean> {
    const builder = new ExpressionBuilder();
    const condition = `${builder.name('state')} = ${builder.value('ACTIVE')}`;
    return this.tryUpdate(key, 'retire', builder, retireChanges(retiredAt, retiredReason), condition);
  }

  async advance(key: TargetKey, from: string, to: string, summaries: TargetSummaries): Promise<void> {
    const builder = new ExpressionBuilder();
    const terms = [
      `${builder.name('state')} = ${builder.value('ACTIVE')}`,
      `${builder.name('nextRunAt')} = ${builder.value(from)}`,
      ...summaryConditionTerms(builder, summaries),
    ];
    const changes = mergeChanges(advanceChanges(to), summaryChanges(summaries));
    await this.update(key, 'advance', builder, changes, terms.join(' AND '));
  }

  async recordSummaries(key: TargetKey, summaries: TargetSummaries): Promise<boolean> {
    const builder = new ExpressionBuilder();
    const terms = [
      `attribute_exists(${builder.name('policyId')})`,
      ...summaryConditionTerms(builder, summaries),
    ];
    return this.tryUpdate(key, 'record summaries', builder, summaryChanges(summaries), terms.join(' AND '));
  }

  async replaceNewestSnapshot(
    key: TargetKey,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void> {
    const builder = new ExpressionBuilder();
    const storedSlot = builder.path(['newestSnapshot', 'slot']);
    const slotTerm =
      expectedSlot === undefined
        ? `attribute_not_exists(${storedSlot})`
        : `${storedSlot} = ${builder.value(expectedSlot)}`;
    const condition = `attribute_exists(${builder.name('policyId')}) AND ${slotTerm}`;
    await this.update(key, 'replace newestSnapshot', builder, newestSnapshotChanges(next), condition);
  }

  private async tryUpdate(
    key: TargetKey,
    purpose: string,
    builder: ExpressionBuilder,
    changes: ItemChanges,
    ConditionExpression: string,
  ): Promise<boolean> {
    try {
      await this.update(key, purpose, builder, changes, ConditionExpression);
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalWriteError)) throw error;
      return false;
    }
  }

  private async update(
    key: TargetKey,
    purpose: string,
    builder: ExpressionBuilder,
    changes: ItemChanges,
    ConditionExpression: string,
  ): Promise<void> {
    const UpdateExpression = builder.update(changes);
    const input = {
      TableName: this.tableName,
      Key: keyOf(key),
      UpdateExpression,
      ConditionExpression,
      ...builder.attributes(),
    };
    const detail = `${purpose} ${key.policyId}/${key.cacheName}`;
    await callTable({ operation: 'UpdateItem', tableName: this.tableName, detail }, () =>
      this.client.update(input),
    );
  }

  private query(
    detail: string,
    input: {
      KeyConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
      IndexName?: string;
      ConsistentRead?: boolean;
    },
  ) {
    const call = { operation: 'Query', tableName: this.tableName, detail };
    return paginateItems(call, (ExclusiveStartKey) =>
      this.client.query({ ...input, TableName: this.tableName, Limit: this.pageSize, ExclusiveStartKey }),
    );
  }
}

function keyOf(key: TargetKey): { policyId: string; cacheName: string } {
  return { policyId: key.policyId, cacheName: key.cacheName };
}
