import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { loadConfig } from '#lib/config';
import { parseScheduledEvent } from '#lib/events';
import { logger, metrics } from '#lib/observability';
import { createRuntime, reconcileDeps, restoreTestStartDeps } from '#lib/runtime';
import { type ReconcileSummary, reconcilePolicies } from '#lib/sync/reconcile';

const runtime = createRuntime(loadConfig());

/** A periodic schedule that heals policy records the stream missed and checks that snapshots still exist, and starts due restore tests. */
export async function reconcile(event: unknown): Promise<ReconcileSummary> {
  const scheduled = parseScheduledEvent(event);
  logger.setCorrelationId(scheduled.id);
  return reconcilePolicies(reconcileDeps(runtime), restoreTestStartDeps(runtime));
}

export const handler = middy(reconcile)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
