import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { toPolicyChange } from '#lib/adapters/dynamodb/stream-records';
import { loadConfig } from '#lib/config';
import { InvalidEventError } from '#lib/errors';
import { logger, metrics } from '#lib/observability';
import { createRuntime, syncDeps } from '#lib/runtime';
import { syncPolicyItem } from '#lib/sync/sync-policy';

const runtime = createRuntime(loadConfig());

/**
 * The policies table's stream: validates each inserted or changed policy and writes back its state.
 * A record that fails is reported as a partial batch failure, so only it is retried (then dead-lettered).
 */
export async function syncStream(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  if (!Array.isArray(event?.Records)) throw new InvalidEventError('not a DynamoDB stream event (no Records)');
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const change = toPolicyChange(record);
    try {
      if (change.kind === 'remove' || !change.newItem) {
        logger.info('policy deleted; its open runs end on their next tick', { policyId: change.policyId });
        continue;
      }
      await syncPolicyItem(syncDeps(runtime), change.newItem);
    } catch (error) {
      logger.error('policy sync failed; the record will be retried', { policyId: change.policyId, error });
      batchItemFailures.push({ itemIdentifier: change.sequenceNumber });
    }
  }
  return { batchItemFailures };
}

export const handler = middy(syncStream)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
