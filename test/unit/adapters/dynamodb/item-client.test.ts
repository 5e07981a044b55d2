import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createItemClient, type ItemClient } from '#lib/adapters/dynamodb/item-client';

const dynamo = mockClient(DynamoDBClient);

describe('ItemClient', () => {
  let items: ItemClient;
  beforeEach(() => {
    dynamo.reset();
    items = createItemClient();
  });

  it('marshals an item as the document client did, dropping undefined attributes, map entries and list elements', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await items.put({
      TableName: 't',
      Item: {
        policyId: 'p1',
        enabled: true,
        startWindowMinutes: 60,
        kmsKeyId: undefined,
        tags: { team: 'a', owner: undefined },
        list: ['x', undefined, 2],
        nothing: null,
      },
      ConditionExpression: 'attribute_not_exists(policyId)',
    });
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: 't',
      Item: {
        policyId: { S: 'p1' },
        enabled: { BOOL: true },
        startWindowMinutes: { N: '60' },
        tags: { M: { team: { S: 'a' } } },
        list: { L: [{ S: 'x' }, { N: '2' }] },
        nothing: { NULL: true },
      },
      ConditionExpression: 'attribute_not_exists(policyId)',
      ExpressionAttributeValues: undefined,
    });
  });

  it('marshals keys and expression values and passes expressions and names as they are', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    await items.update({
      TableName: 't',
      Key: { policyId: 'p1' },
      UpdateExpression: 'SET #n0 = :v0',
      ConditionExpression: '#n1 = :v1',
      ExpressionAttributeNames: { '#n0': 'lastRun', '#n1': 'nextRunAt' },
      ExpressionAttributeValues: { ':v0': { slot: 's', errorCode: undefined }, ':v1': 'at' },
    });
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input).toEqual({
      TableName: 't',
      Key: { policyId: { S: 'p1' } },
      UpdateExpression: 'SET #n0 = :v0',
      ConditionExpression: '#n1 = :v1',
      ExpressionAttributeNames: { '#n0': 'lastRun', '#n1': 'nextRunAt' },
      ExpressionAttributeValues: { ':v0': { M: { slot: { S: 's' } } }, ':v1': { S: 'at' } },
    });
  });

  it('returns the item read as plain values, and undefined when there is none', async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: { policyId: { S: 'p1' }, tags: { M: { team: { S: 'a' } } }, n: { N: '3' } } })
      .resolvesOnce({});
    expect(await items.get({ TableName: 't', Key: { policyId: 'p1' } })).toEqual({
      policyId: 'p1',
      tags: { team: 'a' },
      n: 3,
    });
    expect(await items.get({ TableName: 't', Key: { policyId: 'p2' } })).toBeUndefined();
  });

  it('returns a query page as plain items and start key, marshalling the start key it is given', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ policyId: { S: 'p2' }, enabled: { BOOL: false } }],
      LastEvaluatedKey: { policyId: { S: 'p2' } },
    });
    const page = await items.query({
      TableName: 't',
      KeyConditionExpression: 'policyId = :id',
      ExpressionAttributeValues: { ':id': 'p2' },
      ExclusiveStartKey: { policyId: 'p1' },
    });
    expect(page).toEqual({
      Items: [{ policyId: 'p2', enabled: false }],
      LastEvaluatedKey: { policyId: 'p2' },
    });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ExpressionAttributeValues: { ':id': { S: 'p2' } },
      ExclusiveStartKey: { policyId: { S: 'p1' } },
    });
  });
});
