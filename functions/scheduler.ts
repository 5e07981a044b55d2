import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadConfig } from '#lib/config';
import { parseScheduledEvent } from '#lib/events';
import { logger, metrics } from '#lib/observability';
import { createRuntime, schedulerDeps, syncDeps } from '#lib/runtime';
import { runTick, type TickSummary } from '#lib/scheduler/tick';
import { syncPolicyItem } from '#lib/sync/sync-policy';

const runtime = createRuntime(loadConfig());

/** EventBridge `rate(1 minute)`: one tick at the event's scheduled time. */
export async function tick(event: unknown, context: Context): Promise<TickSummary> {
  const scheduled = parseScheduledEvent(event);
  logger.setCorrelationId(scheduled.id);
  const deps = schedulerDeps(runtime, () => context.getRemainingTimeInMillis());
  const resync = async (item: Parameters<typeof syncPolicyItem>[1]) => {
    await syncPolicyItem(syncDeps(runtime), item, true);
  };
  return runTick(deps, { at: scheduled.time, tickId: scheduled.id }, resync);
}

export const handler = middy(tick)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
