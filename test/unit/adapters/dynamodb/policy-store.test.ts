import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { DUE_BUCKET, DUE_INDEX, DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { ConditionalWriteError, StoreError } from '#lib/errors';
import { MAX_OPERATOR_TAGS } from '#lib/policy/check-tags';
import { MAX_SELECTOR_GLOBS, MAX_SELECTOR_TAGS } from '#lib/policy/check-targets';
import { validatePolicy } from '#lib/policy/parse-policy';
import { activeResult, at, collect, operatorRecord } from '#test/unit/adapters/contract/fixtures';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'policies-test';
const metadata = { httpStatusCode: 400 };

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: metadata,
  });
}

function serviceError(name: string): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    $fault: 'server',
    message: `${name} happened`,
    $metadata: metadata,
  });
}

describe('DynamoPolicyStore', () => {
  let store: DynamoPolicyStore;
  beforeEach(() => {
    dynamo.reset();
    store = new DynamoPolicyStore({ client: createItemClient(), tableName: TABLE });
  });

  it('queries the due index for ACTIVE items due by the instant and follows every page', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [marshall({ policyId: 'a', dueBucket: DUE_BUCKET })],
        LastEvaluatedKey: marshall({ policyId: 'a' }),
      })
      .resolvesOnce({ Items: [marshall({ policyId: 'b', dueBucket: DUE_BUCKET })] });
    const due = await collect(store.listDue(at(5)));
    expect(due).toEqual([{ policyId: 'a' }, { policyId: 'b' }]);
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({
      TableName: TABLE,
      IndexName: DUE_INDEX,
      KeyConditionExpression: 'dueBucket = :bucket AND nextRunAt <= :at',
    });
    expect(unmarshall(inputs[0]?.ExpressionAttributeValues ?? {})).toEqual({
      ':bucket': 'ACTIVE',
      ':at': at(5),
    });
    expect(unmarshall(inputs[1]?.ExclusiveStartKey ?? {})).toEqual({ policyId: 'a' });
  });

  it('turns a failed condition on the sync result into ConditionalWriteError', async () => {
    const cause = conditionFailed();
    dynamo.on(UpdateItemCommand).rejects(cause);
    const error = await store.writeSyncResult(operatorRecord('p1'), activeResult(at(1))).catch((err) => err);
    expect(error).toBeInstanceOf(ConditionalWriteError);
    expect(error.cause).toBe(cause);
  });

  it('turns any other SDK error into StoreError naming the operation and the table', async () => {
    const cause = serviceError('ProvisionedThroughputExceededException');
    dynamo.on(GetItemCommand).rejects(cause);
    const error = await store.get('p1').catch((err) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(`GetItem on table ${TABLE}`);
    expect(error.message).toContain('ProvisionedThroughputExceededException');
    expect(error.cause).toBe(cause);
  });

  it('turns an error on a later page of a scan into StoreError', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [marshall({ policyId: 'a' })], LastEvaluatedKey: marshall({ policyId: 'a' }) })
      .rejectsOnce(serviceError('InternalServerError'));
    await expect(collect(store.listAll())).rejects.toThrow(
      /Scan on table policies-test failed: InternalServerError/,
    );
  });

  it('ignores a failed condition when recording the last run but reports other errors', async () => {
    dynamo
      .on(UpdateItemCommand)
      .rejectsOnce(conditionFailed())
      .rejectsOnce(serviceError('InternalServerError'));
    const summary = { slot: at(0), status: 'AVAILABLE', at: at(1) };
    await expect(store.recordLastRun('p1', summary)).resolves.toBeUndefined();
    await expect(store.recordLastRun('p1', summary)).rejects.toBeInstanceOf(StoreError);
  });

  it('compares tags key by key, and whole when there are too many to list', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    await store.writeSyncResult(operatorRecord('p1'), activeResult(at(1)));
    const manyTags = Object.fromEntries(Array.from({ length: 80 }, (_, index) => [`k${index}`, 'v']));
    await store.writeSyncResult(operatorRecord('p2', { tags: manyTags }), activeResult(at(1)));
    const [small, large] = dynamo.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);
    const tagsName = (input: typeof small) =>
      Object.entries(input?.ExpressionAttributeNames ?? {}).find(([, name]) => name === 'tags')?.[0];
    expect(small?.ConditionExpression).toContain(`size(${tagsName(small)}) = `);
    expect(small?.ConditionExpression).not.toMatch(new RegExp(`${tagsName(small)} = `));
    expect(large?.ConditionExpression).toMatch(new RegExp(`${tagsName(large)} = :v\\d+`));
    expect(large?.ConditionExpression?.length).toBeLessThan(4096);
  });

  it('compares the largest valid targets selector member by member, within the 4 KB expression limit', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    const many = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => `${prefix}-${i}-*`);
    const tagMap = (prefix: string) =>
      Object.fromEntries(Array.from({ length: MAX_SELECTOR_TAGS }, (_, i) => [`${prefix}-key-${i}`, 'v']));
    const targets = {
      tags: tagMap('t'),
      names: many('n', MAX_SELECTOR_GLOBS),
      engines: ['valkey', 'redis', 'memcached'],
      excludeTags: tagMap('x'),
      excludeNames: many('x', MAX_SELECTOR_GLOBS),
    };
    const tags = Object.fromEntries(
      Array.from({ length: MAX_OPERATOR_TAGS }, (_, i) => [`tag-key-${i}`, 'v']),
    );
    const record = { ...operatorRecord('p1', { tags, targets }), cacheName: undefined };
    expect(validatePolicy(record).ok).toBe(true);

    await store.writeSyncResult(record, activeResult(at(1)));

    const input = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    const targetsName = Object.entries(input?.ExpressionAttributeNames ?? {}).find(
      ([, name]) => name === 'targets',
    )?.[0];
    expect(input?.ConditionExpression).toContain(`size(${targetsName}) = `);
    expect(input?.ConditionExpression).not.toMatch(new RegExp(`${targetsName} = `));
    expect(input?.ConditionExpression?.length).toBeLessThan(4096);
  });
});
