import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type PolicyChange, toPolicyChange } from '#lib/adapters/dynamodb/stream-records';
import { loadConfig } from '#lib/config';
import { InvalidEventError } from '#lib/errors';
import { logger, metrics } from '#lib/observability';
import { createRuntime, syncDeps } from '#lib/runtime';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { retireTargetsOfDeleted } from '#lib/sync/sync-targets';

const runtime = createRuntime(loadConfig());
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Syncs the policy a stream record changed; a record that fails is logged and thrown (a batch failure). */
async function syncRecord(record: unknown): Promise<void> {
  let change: PolicyChange | undefined;
  try {
    change = toPolicyChange(record);
    if (change.kind === 'remove' || !change.newItem) {
      logger.info('policy deleted; its open runs end on their next tick', { policyId: change.policyId });
      await retireTargetsOfDeleted(syncDeps(runtime), change.policyId, new Date());
      return;
    }
    await syncPolicyItem(syncDeps(runtime), change.newItem, false, undefined, change.wasTargets);
  } catch (error) {
    logger.error('policy sync failed; the record will be retried', { policyId: change?.policyId, error });
    throw error;
  }
}

/**
 * The policies table's stream: validates each inserted or changed policy and writes back its state, records
 * one after the other (two edits of one policy stay in order). Powertools Batch reports a record that fails
 * as a partial batch failure, so only it is retried (then dead-lettered); all of them failing is reported
 * the same way, not thrown.
 */
export async function syncStream(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  if (!Array.isArray(event?.Records)) throw new InvalidEventError('not a DynamoDB stream event (no Records)');
  return processPartialResponse(event, syncRecord, processor, {
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
}

export const handler = middy(syncStream)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
