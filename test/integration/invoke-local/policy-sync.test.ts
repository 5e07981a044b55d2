import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#test/integration/template/service-copy';
import { type Invocation, type InvokeFixture, startInvokeFixture } from './invoke-fixture';

const SAMPLE = 'events/policy-stream-insert.json';

interface StreamSample {
  Records: { dynamodb: { NewImage: Record<string, AttributeValue> } }[];
}

let fixture: InvokeFixture;
let invocation: Invocation;
let invokedAt: Date;

beforeAll(async () => {
  fixture = await startInvokeFixture();
  const sample = JSON.parse(await readFile(join(REPO_ROOT, SAMPLE), 'utf8')) as StreamSample;
  const newImage = sample.Records[0]?.dynamodb.NewImage;
  // The operator's write the sample record describes: the cache exists and the item is in the table.
  fixture.stack.emulator.seedCache({ name: 'orders' });
  await fixture.dynamodb.send(new PutItemCommand({ TableName: fixture.stack.policiesTable, Item: newImage }));
  invokedAt = new Date();
  invocation = await fixture.invoke('policySync', { path: SAMPLE });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('serverless invoke local policySync with events/policy-stream-insert.json', () => {
  it('reports no failed record', () => {
    expect(invocation.result).toEqual({ batchItemFailures: [] });
  });

  it('activates the policy with its next hourly slot', async () => {
    const item = await fixture.policies.get('orders-hourly');

    expect(item?.state).toBe('ACTIVE');
    expect(item?.stateReason).toBeUndefined();
    expect(item?.nextRunAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
    expect(Date.parse(item?.nextRunAt ?? '')).toBeGreaterThanOrEqual(invokedAt.getTime() - 60 * 60_000);
  });

  it('logs the outcome line Logs Insights queries read', () => {
    const outcome = invocation.logs.find((line) => line.outcome === 'ACTIVE');

    expect(outcome).toMatchObject({
      level: 'INFO',
      policyId: 'orders-hourly',
      service: 'cache-snapshot-orchestrator',
    });
  });

  it('checks the cache and writes the policy only as its role allows (no table scan per record)', () => {
    expect(invocation.elastiCacheCalls.map((call) => call.action)).toEqual(['DescribeServerlessCaches']);
    expect(invocation.dynamoCalls.map((call) => call.operation)).toEqual(['UpdateItem']);
    expect(fixture.deniedCalls('policySync', invocation)).toEqual([]);
  });
});
