import { isRestoreTestItem } from '#lib/adapters/restore-test-items';
import { fromRunItem, OPEN_BUCKET, toRunItem } from '#lib/adapters/run-items';
import { ConditionalWriteError, StoreError } from '#lib/errors';
import { logger } from '#lib/observability';
import { runKeyOf, runKeyPrefix } from '#lib/runs/run-key';
import type { RunQuery, RunStore } from '#lib/runs/run-store';
import type { RunKey, RunRecord, RunStatus } from '#lib/runs/types';
import { ExpressionBuilder } from './expression-builder';
import type { ItemClient, QueryInput } from './item-client';
import { callTable, paginateItems } from './table-call';

export { OPEN_BUCKET };

/** The runs table's sparse index of open runs by `nextCheckAt` (serverless.yml). */
export const OPEN_INDEX = 'open-index';

/** Options of DynamoRunStore; `pageSize` (Query `Limit`) exists for tests of pagination. */
export interface DynamoRunStoreOptions {
  readonly client: ItemClient;
  readonly tableName: string;
  readonly pageSize?: number;
}

/** A string after every runKey of a cache: `$` follows `#`, and neither occurs in a cache name. */
const afterCache = (cacheName: string) => `${cacheName}$`;

/** How a run is named in log lines and errors: policy/cache/slot, and the kind unless SCHEDULED. */
function describeRun(key: RunKey): string {
  return `${key.policyId}/${runKeyOf(key).replaceAll('#', '/')}`;
}

/**
 * RunStore on the runs table (HASH policyId, RANGE runKey, lib/adapters/run-items.ts): every state change is one conditional PutItem of the whole record, with the
 * derived `openBucket` written only while the run is open. Reads by key are strongly consistent; the open
 * index, like every GSI, is eventually consistent.
 */
export class DynamoRunStore implements RunStore {
  private readonly client: ItemClient;
  private readonly tableName: string;
  private readonly pageSize: number | undefined;

  constructor(options: DynamoRunStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.pageSize = options.pageSize;
  }

  async get(key: RunKey): Promise<RunRecord | undefined> {
    const input = {
      TableName: this.tableName,
      Key: { policyId: key.policyId, runKey: runKeyOf(key) },
      ConsistentRead: true,
    };
    const call = { operation: 'GetItem', tableName: this.tableName };
    const item = await callTable(call, () => this.client.get(input));
    return item === undefined ? undefined : fromRunItem(item, this.tableName);
  }

  async create(run: RunRecord): Promise<RunRecord | undefined> {
    const input = {
      TableName: this.tableName,
      Item: toRunItem(run),
      ConditionExpression: 'attribute_not_exists(policyId)',
    };
    const call = {
      operation: 'PutItem',
      tableName: this.tableName,
      detail: `create ${describeRun(run)}`,
    };
    try {
      await callTable(call, () => this.client.put(input));
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalWriteError)) throw err;
    }
    const existing = await this.get(run);
    if (existing === undefined) {
      throw new ConditionalWriteError(`run ${describeRun(run)} existed at create but is gone now`);
    }
    return existing;
  }

  async transition(next: RunRecord, expected: { status: RunStatus; leaseOwner?: string }): Promise<void> {
    const builder = new ExpressionBuilder();
    const terms = [`${builder.name('status')} = ${builder.value(expected.status)}`];
    if (expected.leaseOwner !== undefined) {
      terms.push(`${builder.name('leaseOwner')} = ${builder.value(expected.leaseOwner)}`);
    }
    const input = {
      TableName: this.tableName,
      Item: toRunItem(next),
      ConditionExpression: terms.join(' AND '),
      ...builder.attributes(),
    };
    const detail = `transition ${describeRun(next)} ${expected.status} -> ${next.status}`;
    await callTable({ operation: 'PutItem', tableName: this.tableName, detail }, () =>
      this.client.put(input),
    );
  }

  listOpen(at: string): AsyncIterable<RunRecord> {
    const builder = new ExpressionBuilder();
    const KeyConditionExpression = `${builder.name('openBucket')} = ${builder.value(OPEN_BUCKET)} AND ${builder.name('nextCheckAt')} <= ${builder.value(at)}`;
    return this.query(OPEN_INDEX, { IndexName: OPEN_INDEX, KeyConditionExpression, ...builder.attributes() });
  }

  listByPolicy(policyId: string, query: RunQuery = {}): AsyncIterable<RunRecord> {
    const builder = new ExpressionBuilder();
    const terms = [`${builder.name('policyId')} = ${builder.value(policyId)}`];
    const filters: string[] = [];
    const { cacheName, since } = query;
    if (cacheName !== undefined) {
      // One target's runs; `since` bounds the slot part of its keys, so the query reads no older run.
      const runKey = builder.name('runKey');
      const prefix = runKeyPrefix(cacheName);
      terms.push(
        since === undefined
          ? `begins_with(${runKey}, ${builder.value(prefix)})`
          : `${runKey} BETWEEN ${builder.value(`${prefix}${since}`)} AND ${builder.value(afterCache(cacheName))}`,
      );
    } else if (since !== undefined) {
      filters.push(`${builder.name('slot')} >= ${builder.value(since)}`);
    }
    const statuses = query.statuses?.map((status) => builder.value(status));
    if (statuses?.length === 0) return (async function* () {})();
    if (statuses) filters.push(`${builder.name('status')} IN (${statuses.join(', ')})`);
    const input = {
      KeyConditionExpression: terms.join(' AND '),
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ConsistentRead: true,
    };
    const detail = cacheName === undefined ? `runs of ${policyId}` : `runs of ${policyId}/${cacheName}`;
    return this.query(detail, { ...input, ...builder.attributes() });
  }

  private async *query(detail: string, input: Omit<QueryInput, 'TableName'>): AsyncIterable<RunRecord> {
    const call = { operation: 'Query', tableName: this.tableName, detail };
    const pages = paginateItems(call, (ExclusiveStartKey) =>
      this.client.query({ ...input, TableName: this.tableName, Limit: this.pageSize, ExclusiveStartKey }),
    );
    for await (const item of pages) {
      const run = this.parseListed(item);
      if (run) yield run;
    }
  }

  /**
   * One record broken by hand must not stop every tick: it is logged (each time it is listed) and passed
   * over, and the other runs go on. `get` still throws for it. Restore tests in the same table are passed
   * over without a word (their store reads them).
   */
  private parseListed(item: Record<string, unknown>): RunRecord | undefined {
    // A restore test shares the runs table (lib/adapters/restore-test-items.ts) but is no snapshot run.
    if (isRestoreTestItem(item)) return undefined;
    try {
      return fromRunItem(item, this.tableName);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      logger.error('skipping a malformed run record', {
        policyId: item.policyId,
        runKey: item.runKey,
        error,
      });
      return undefined;
    }
  }
}
