import { tickAt } from '#cli/commands/tick';
import { MINUTE_MS } from '#lib/clock';
import { loadConfig } from '#lib/config';
import { createRuntime, syncDeps } from '#lib/runtime';
import { startLocalStack } from '#local/stack';
import { eventLine } from './event-lines';
import { DEMO_CACHES } from './scenario';
import { EXAMPLES_DIR, seedExamples } from './seed';

/** In `--serve` mode snapshots take 30 s of real time to become available (the service takes minutes). */
const SERVE_COMPLETION_MS = 30_000;

/**
 * `npm start -- --serve`: the local stack in real time, with the demo's caches and examples/ seeded, a
 * scheduler tick every minute (as EventBridge would), and the export lines that point the CLI at it. Runs
 * until SIGINT or SIGTERM.
 */
export async function serve(log: (line: string) => void): Promise<void> {
  const stack = await startLocalStack({ emulator: { snapshotCompletionMs: SERVE_COMPLETION_MS } });
  Object.assign(process.env, stack.env);
  const runtime = createRuntime(loadConfig());
  stack.eventBridge.subscribe((event) => log(eventLine(event)));
  for (const cache of DEMO_CACHES) stack.emulator.seedCache(cache);
  log('seeding the policies in examples/');
  await seedExamples(syncDeps(runtime), EXAMPLES_DIR, log);
  log('\nThe local stack is up. Point the CLI at it from another shell:\n');
  for (const [name, value] of Object.entries(stack.env)) log(`export ${name}=${value}`);
  log('\nthen: npx cache-snapshots status   (a tick runs every minute; `cache-snapshots tick` runs one now)');
  log('Ctrl-C stops the stack (everything is in memory and goes with it).\n');

  let ticking = Promise.resolve();
  const timer = setInterval(() => {
    ticking = ticking.then(async () => {
      try {
        const summary = await tickAt(runtime, new Date());
        const written = Object.entries(summary.outcomes).map(([status, count]) => `${status} ${count}`);
        if (written.length > 0) log(`tick ${summary.at}: ${written.join(', ')}`);
      } catch (error) {
        log(`tick failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }, MINUTE_MS);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  await ticking;
  await stack.stop();
}
