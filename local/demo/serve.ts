import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { tickAt } from '#cli/commands/tick';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { loadConfig } from '#lib/config';
import { createRuntime, type Runtime, reconcileDeps, syncDeps } from '#lib/runtime';
import { parseSchedule } from '#lib/schedule/schedule';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { isInSync, syncPolicyItem } from '#lib/sync/sync-policy';
import { startLocalStack } from '#local/stack';
import { SERVERLESS_YML } from '#local/tables';
import { CACHE_COMMANDS_HELP, runCacheCommand } from './cache-commands';
import { eventLine } from './event-lines';
import { DEMO_CACHES } from './scenario';
import { EXAMPLES_DIR, seedExamples } from './seed';

/** In `--serve` mode snapshots take 30 s of real time to become available (the service takes minutes). */
const SERVE_COMPLETION_MS = 30_000;

/** How often serve looks for policies written straight into the table (the local stack has no streams). */
export const POLL_MS = 15_000;

/** What serve may change; the defaults are what `npm start -- --serve` does. */
export interface ServeOptions {
  /** Where serve's lines go. */
  readonly log: (line: string) => void;
  /** Cache commands, one per line (default: stdin). */
  readonly input?: NodeJS.ReadableStream;
  /** Stops serve (default: SIGINT or SIGTERM). */
  readonly signal?: AbortSignal;
  /** Default: serverless.yml's schedulerRate, reconcileRate, and POLL_MS. */
  readonly tickMs?: number;
  readonly reconcileMs?: number;
  readonly pollMs?: number;
}

/** A `rate(N minutes|hours|days)` parameter of serverless.yml, in milliseconds (params.default). */
export function serviceRateMs(parameter: 'schedulerRate' | 'reconcileRate'): number {
  const document = parse(readFileSync(SERVERLESS_YML, 'utf8'), { logLevel: 'silent' }) as {
    params?: { default?: Record<string, unknown> };
  };
  const schedule = parseSchedule(String(document.params?.default?.[parameter]));
  if (schedule.kind !== 'rate') throw new Error(`serverless.yml: ${parameter} is not a rate(...)`);
  return schedule.value * { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS }[schedule.unit];
}

/**
 * What the policies table's stream does in a deployment: every item that is not in sync with its own
 * record (a policy written straight into the table, by `aws dynamodb put-item` or the SDK) goes through
 * syncPolicyItem, the stream handler's call, with its loop guard. One Scan per call: cheap on a local table.
 */
async function syncWrittenPolicies(runtime: Runtime, log: (line: string) => void): Promise<void> {
  for await (const item of runtime.policies.listAll()) {
    if (isInSync(item)) continue;
    const outcome = await syncPolicyItem(syncDeps(runtime), item);
    if (outcome.action !== 'written') continue;
    const { state, stateReason, nextRunAt } = outcome.result;
    log(
      `policy ${item.policyId} synced: ${state}${nextRunAt ? `, next run ${nextRunAt}` : ''}${stateReason ? ` (${stateReason})` : ''}`,
    );
  }
}

/** Runs the jobs one at a time, in the order they come, never two of one kind queued at once. */
function serialJobs(log: (line: string) => void) {
  let chain = Promise.resolve();
  const queued = new Set<string>();
  return {
    enqueue(name: string, job: () => Promise<void>): void {
      if (queued.has(name)) return;
      queued.add(name);
      chain = chain
        .then(() => {
          queued.delete(name);
          return job();
        })
        .catch((error: unknown) =>
          log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`),
        );
    },
    drained: () => chain,
  };
}

/** `15 s`, `15 min`. */
function interval(ms: number): string {
  return ms < MINUTE_MS ? `${ms / 1000} s` : `${ms / MINUTE_MS} min`;
}

function stopSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  return controller.signal;
}

/**
 * `npm start -- --serve`: the local stack in real time, behaving like a deployment: the demo's caches and
 * examples/ seeded, a scheduler tick every schedulerRate (as EventBridge would), the stream's work done by
 * polling the policies table every POLL_MS (dynalite has no streams; reconcile every minute instead would
 * also re-judge INVALID policies and fit warnings every minute, which a deployment does only every
 * reconcileRate), reconcile every reconcileRate, and cache commands on stdin. Prints the export lines that
 * point the CLI at it. Runs until the signal (default SIGINT or SIGTERM).
 */
export async function serve(options: ServeOptions): Promise<void> {
  const { log } = options;
  const stack = await startLocalStack({ emulator: { snapshotCompletionMs: SERVE_COMPLETION_MS } });
  Object.assign(process.env, stack.env);
  const runtime = createRuntime(loadConfig());
  stack.eventBridge.subscribe((event) => log(eventLine(event)));
  for (const cache of DEMO_CACHES) stack.emulator.seedCache(cache);
  log('seeding the policies in examples/');
  await seedExamples(syncDeps(runtime), EXAMPLES_DIR, log);
  const tickMs = options.tickMs ?? serviceRateMs('schedulerRate');
  const reconcileMs = options.reconcileMs ?? serviceRateMs('reconcileRate');
  const pollMs = options.pollMs ?? POLL_MS;
  log('\nThe local stack is up. Point the CLI at it from another shell:\n');
  for (const [name, value] of Object.entries(stack.env)) log(`export ${name}=${value}`);
  log(`
then: npx cache-snapshots status

It runs like a deployment: a scheduler tick every ${interval(tickMs)}, reconcile every ${interval(reconcileMs)}, and a policy
written straight into the table (aws dynamodb put-item, the SDK) is synced within ${interval(pollMs)}, as the stream would.
Snapshots become available ${interval(SERVE_COMPLETION_MS)} after their request.

Type a command here to change the emulated caches:
${CACHE_COMMANDS_HELP.join('\n')}

Ctrl-C stops the stack (everything is in memory and goes with it).
`);

  const jobs = serialJobs(log);
  const tick = async () => {
    const summary = await tickAt(runtime, new Date());
    const written = Object.entries(summary.outcomes).map(([status, count]) => `${status} ${count}`);
    if (written.length > 0) log(`tick ${summary.at}: ${written.join(', ')}`);
  };
  const reconcile = async () => {
    const { scanned, synced, failed } = await reconcilePolicies(reconcileDeps(runtime));
    log(`reconcile: ${scanned} policies, ${synced} synced again, ${failed} failed`);
  };
  const timers = [
    setInterval(() => jobs.enqueue('tick', tick), tickMs),
    setInterval(() => jobs.enqueue('reconcile', reconcile), reconcileMs),
    setInterval(() => jobs.enqueue('policy sync', () => syncWrittenPolicies(runtime, log)), pollMs),
  ];
  const commands = createInterface({ input: options.input ?? process.stdin, terminal: false });
  commands.on('line', (line) => {
    for (const answer of runCacheCommand(stack.emulator, line)) log(answer);
  });

  const signal = options.signal ?? stopSignal();
  if (!signal.aborted)
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  for (const timer of timers) clearInterval(timer);
  commands.close();
  await jobs.drained();
  await stack.stop();
}
