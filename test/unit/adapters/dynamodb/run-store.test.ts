import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { DynamoRunStore, OPEN_BUCKET, OPEN_INDEX } from '#lib/adapters/dynamodb/run-store';
import { ConditionalWriteError, StoreError } from '#lib/errors';
import { logger } from '#lib/observability';
import { at, collect, runRecord } from '#test/unit/adapters/contract/fixtures';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'runs-test';
const metadata = { httpStatusCode: 400 };
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: metadata });

describe('DynamoRunStore', () => {
  let store: DynamoRunStore;
  afterEach(() => {
    vi.restoreAllMocks();
  });
  beforeEach(() => {
    dynamo.reset();
    store = new DynamoRunStore({ client: createItemClient(), tableName: TABLE });
  });

  it('returns the existing run, read consistently, when the create condition fails', async () => {
    const existing = runRecord('p1', at(0), { leaseOwner: 'tick-a' });
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    dynamo.on(GetItemCommand).resolves({ Item: marshall({ ...existing, openBucket: OPEN_BUCKET }) });
    expect(await store.create(runRecord('p1', at(0), { leaseOwner: 'tick-b' }))).toEqual(existing);
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(policyId)',
    );
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      Key: marshall({ policyId: 'p1', runKey: `orders-cache#${at(0)}` }),
      ConsistentRead: true,
    });
  });

  it('keys a run by policyId and runKey: cache#slot when SCHEDULED, cache#slot#kind otherwise', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await store.create(runRecord('p1', at(0)));
    await store.create(runRecord('p1', at(0), { kind: 'ON_DEMAND' }));
    const items = dynamo
      .commandCalls(PutItemCommand)
      .map((call) => unmarshall(call.args[0].input.Item ?? {}));
    expect(items.map((item) => item.runKey)).toEqual([
      `orders-cache#${at(0)}`,
      `orders-cache#${at(0)}#ON_DEMAND`,
    ]);
    expect(items[1]).toMatchObject({
      policyId: 'p1',
      cacheName: 'orders-cache',
      slot: at(0),
      kind: 'ON_DEMAND',
    });
  });

  it('reads a stored run without a kind (written before kinds existed) as SCHEDULED', async () => {
    const { kind: _kind, ...stored } = runRecord('p1', at(0));
    dynamo.on(GetItemCommand).resolves({ Item: marshall({ ...stored, runKey: `orders-cache#${at(0)}` }) });
    const key = { policyId: 'p1', cacheName: 'orders-cache', slot: at(0), kind: 'SCHEDULED' } as const;
    expect(await store.get(key)).toEqual(runRecord('p1', at(0)));
  });

  it('queries one cache’s runs by runKey prefix, and from a slot on by a runKey range', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await collect(store.listByPolicy('p1', { cacheName: 'orders' }));
    await collect(store.listByPolicy('p1', { cacheName: 'orders', since: at(0) }));
    await collect(store.listByPolicy('p1', { since: at(0) }));
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]?.KeyConditionExpression).toBe('#n0 = :v0 AND begins_with(#n1, :v1)');
    expect(unmarshall(inputs[0]?.ExpressionAttributeValues ?? {})).toEqual({ ':v0': 'p1', ':v1': 'orders#' });
    expect(inputs[1]?.KeyConditionExpression).toBe('#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2');
    expect(unmarshall(inputs[1]?.ExpressionAttributeValues ?? {})).toEqual({
      ':v0': 'p1',
      ':v1': `orders#${at(0)}`,
      ':v2': 'orders$',
    });
    expect(inputs[1]?.FilterExpression).toBeUndefined();
    expect(inputs[2]).toMatchObject({ KeyConditionExpression: '#n0 = :v0', FilterExpression: '#n1 >= :v1' });
  });

  it('writes the open bucket with an open run and conditions a transition on status and lease owner', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await store.transition(runRecord('p1', at(0), { status: 'REQUESTED' }), {
      status: 'CLAIMED',
      leaseOwner: 'me',
    });
    const input = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(unmarshall(input?.Item ?? {})).toMatchObject({ status: 'REQUESTED', openBucket: OPEN_BUCKET });
    expect(input?.ConditionExpression).toBe('#n0 = :v0 AND #n1 = :v1');
    expect(input?.ExpressionAttributeNames).toEqual({ '#n0': 'status', '#n1': 'leaseOwner' });
    expect(unmarshall(input?.ExpressionAttributeValues ?? {})).toEqual({ ':v0': 'CLAIMED', ':v1': 'me' });
  });

  it('turns a lost transition into ConditionalWriteError naming the run', async () => {
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    const transition = store.transition(runRecord('p1', at(0), { status: 'FAILED' }), { status: 'CLAIMED' });
    await expect(transition).rejects.toThrow(ConditionalWriteError);
    await expect(transition).rejects.toThrow(`transition p1/orders-cache/${at(0)} CLAIMED -> FAILED`);
  });

  it('queries the open index and strips the bucket from the records it returns', async () => {
    const run = runRecord('p1', at(0));
    dynamo.on(QueryCommand).resolves({ Items: [marshall({ ...run, openBucket: OPEN_BUCKET })] });
    expect(await collect(store.listOpen(at(9)))).toEqual([run]);
    const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ TableName: TABLE, IndexName: OPEN_INDEX });
    expect(unmarshall(input?.ExpressionAttributeValues ?? {})).toEqual({ ':v0': OPEN_BUCKET, ':v1': at(9) });
  });

  it('reports a stored run that is not a run record as StoreError naming the table', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: marshall({ policyId: 'p1', slot: at(0), status: 'LOST' }) });
    const error = await store.get(runRecord('p1', at(0))).catch((err) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(`malformed run record p1/${at(0)} in table ${TABLE}`);
  });

  it('passes over a malformed record in a listing, logging it, so the other open runs still come back', async () => {
    const good = runRecord('p2', at(1));
    dynamo.on(QueryCommand).resolves({
      Items: [
        marshall({ policyId: 'p1', slot: at(0), status: 'LOST' }),
        marshall({ ...good, openBucket: OPEN_BUCKET }),
      ],
    });
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    expect(await collect(store.listOpen(at(9)))).toEqual([good]);
    expect(logged).toHaveBeenCalledWith(
      'skipping a malformed run record',
      expect.objectContaining({ policyId: 'p1' }),
    );
  });

  it('turns a throttled query into StoreError keeping the cause', async () => {
    const cause = new DynamoDBServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate of requests exceeds the allowed throughput',
      $metadata: metadata,
    });
    dynamo.on(QueryCommand).rejects(cause);
    const error = await collect(store.listByPolicy('p1')).catch((err) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(`Query on table ${TABLE} (runs of p1) failed: ThrottlingException`);
    expect(error.cause).toBe(cause);
  });
});
