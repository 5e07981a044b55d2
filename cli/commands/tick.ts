import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { formatUtc } from '#cli/format';
import { parseInstant } from '#cli/option-parsers';
import { printJson, printLine } from '#cli/output';
import type { PolicyItem } from '#lib/policy/types';
import { type Runtime, schedulerDeps, syncDeps } from '#lib/runtime';
import { runTick, type TickSummary } from '#lib/scheduler/tick';
import { syncPolicyItem } from '#lib/sync/sync-policy';

/** The scheduler function's timeout in serverless.yml: a CLI tick gets the same time budget. */
export const TICK_BUDGET_MS = 120_000;

/**
 * One tick with exactly the scheduler function's code and dependencies (lib/runtime's schedulerDeps and
 * syncDeps), except for the clock: at `at` plus the real time elapsed since `startedAt`, so the start window
 * and everything else is judged as if the tick ran at `at`.
 */
export function tickAt(runtime: Runtime, at: Date, startedAt = Date.now()): Promise<TickSummary> {
  const clock = () => new Date(at.getTime() + (Date.now() - startedAt));
  const remainingMs = () => TICK_BUDGET_MS - (Date.now() - startedAt);
  const deps = { ...schedulerDeps(runtime, remainingMs), clock };
  const resync = async (item: PolicyItem) => {
    await syncPolicyItem({ ...syncDeps(runtime), clock }, item, true);
  };
  return runTick(deps, { at, tickId: `cli-${randomUUID()}` }, resync);
}

async function tickAction(options: { at?: Date }, command: Command): Promise<void> {
  const startedAt = Date.now();
  const context = contextOf(command);
  const summary = await tickAt(await context.runtime(), options.at ?? new Date(startedAt), startedAt);
  if (context.options.json) {
    printJson(summary);
    return;
  }
  const outcomes = Object.entries(summary.outcomes).map(([status, count]) => `${status} ${count}`);
  printLine(
    `tick at ${formatUtc(summary.at)}: ${summary.openRuns} open runs looked at, ${summary.claimed} runs worked on; ` +
      `records written: ${outcomes.join(', ') || 'none'}`,
  );
}

/** `tick [--at time]`: one scheduler tick, now or as if at another time. */
export function registerTickCommand(program: Command): void {
  program
    .command('tick')
    .description("run one scheduler tick with the scheduler function's code (take due slots now)")
    .option('--at <time>', 'tick as if at this ISO-8601 time (the clock starts there)', parseInstant)
    .action(tickAction);
}
