import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { loadConfig } from '#lib/config';
import { parseScheduledEvent } from '#lib/events';
import { logger, metrics } from '#lib/observability';
import { createRuntime, schedulerDeps } from '#lib/runtime';
import { runTick, type TickSummary } from '#lib/scheduler/tick';

const runtime = createRuntime(loadConfig());

/** EventBridge `rate(1 minute)`: one tick at the event's scheduled time. */
export async function tick(event: unknown, context: Context): Promise<TickSummary> {
  const scheduled = parseScheduledEvent(event);
  logger.setCorrelationId(scheduled.id);
  const origin = { account: scheduled.account, region: scheduled.region };
  const deps = schedulerDeps(runtime, () => context.getRemainingTimeInMillis(), origin);
  return runTick(deps, { at: scheduled.time, tickId: scheduled.id });
}

export const handler = middy(tick)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
