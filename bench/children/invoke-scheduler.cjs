'use strict';
// A fresh Node process started by bench/support/tick-process.ts: loads a bundle (the deployed scheduler, or
// the bare-calls baseline), invokes its handler once with a scheduled event at the given time (or, with mode
// `init`, only loads it), and reports its peak RSS and CPU time over the IPC channel. Plain CommonJS so that
// nothing but the bundle is loaded into the process measured.
const [bundle, mode, time] = process.argv.slice(2);
const started = performance.now();
const timeoutMs = 120_000;

const context = {
  functionName: 'scheduler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduler',
  memoryLimitInMB: '128',
  awsRequestId: 'bench-request',
  logGroupName: '/aws/lambda/scheduler',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => timeoutMs - (performance.now() - started),
};
const event = {
  version: '0',
  id: 'bench-tick',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time,
  region: 'us-east-1',
  resources: [],
  detail: {},
};

async function main() {
  const { handler } = require(bundle);
  const summary = mode === 'tick' ? await handler(event, context) : undefined;
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  const systemMs = usage.systemCPUTime / 1000;
  process.send({ maxRssKb: usage.maxRSS, cpuMs, systemMs, wallMs: performance.now() - started, summary });
}

main()
  .catch((error) => process.send({ error: String(error?.stack ?? error) }))
  .finally(() => process.disconnect());
