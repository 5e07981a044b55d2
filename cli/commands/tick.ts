import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { formatDuration, formatUtc } from '#cli/format';
import { parseInstant } from '#cli/option-parsers';
import { printJson, printLine } from '#cli/output';
import { MINUTE_MS } from '#lib/clock';
import { type Runtime, schedulerDeps } from '#lib/runtime';
import { runTick, type TickSummary } from '#lib/scheduler/tick';

/** The scheduler function's timeout in serverless.yml: a CLI tick gets the same time budget. */
export const TICK_BUDGET_MS = 120_000;

/**
 * One tick with exactly the scheduler function's code and dependencies (lib/runtime's schedulerDeps),
 * except for the clock: at `at` plus the real time elapsed since `startedAt`, so the start window
 * and everything else is judged as if the tick ran at `at`.
 */
export function tickAt(runtime: Runtime, at: Date, startedAt = Date.now()): Promise<TickSummary> {
  const clock = () => new Date(at.getTime() + (Date.now() - startedAt));
  const remainingMs = () => TICK_BUDGET_MS - (Date.now() - startedAt);
  const deps = { ...schedulerDeps(runtime, remainingMs), clock };
  return runTick(deps, { at, tickId: `cli-${randomUUID()}` });
}

/** How far `--at` may be ahead of the real clock without `--allow-future`: a clock a little behind, a rounded minute. */
export const FUTURE_TOLERANCE_MS = MINUTE_MS;

/**
 * Refuses a tick more than FUTURE_TOLERANCE_MS ahead of `now` unless `allowFuture`: such a tick acts as if
 * that time had come, on real tables and caches (it records MISSED for slots that are not due yet, requests
 * snapshots early, moves next runs past them). A time in the past is a replay and always allowed.
 */
export function checkTickTime(at: Date, now: Date, allowFuture: boolean): void {
  const aheadMs = at.getTime() - now.getTime();
  if (allowFuture || aheadMs <= FUTURE_TOLERANCE_MS) return;
  throw new CliError(
    `--at ${formatUtc(at)} is ${formatDuration(aheadMs)} ahead of the clock (${formatUtc(now)}): a tick there acts ` +
      'as if that time had come (MISSED records for slots not yet due, snapshots taken early); ' +
      'pass --allow-future to simulate it anyway, on a local stack or test tables only',
  );
}

interface TickOptions {
  readonly at?: Date;
  readonly allowFuture?: boolean;
}

async function tickAction(options: TickOptions, command: Command): Promise<void> {
  const startedAt = Date.now();
  const context = contextOf(command);
  if (options.at) checkTickTime(options.at, new Date(startedAt), options.allowFuture === true);
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

/** `tick [--at time [--allow-future]]`: one scheduler tick, now or as if at another time. */
export function registerTickCommand(program: Command): void {
  program
    .command('tick')
    .description(
      "run one scheduler tick with the scheduler function's code, as EventBridge does every minute " +
        '(for the local stack, tests and troubleshooting; a deployment needs none)',
    )
    .option(
      '--at <time>',
      'tick as if at this ISO-8601 time (the clock starts there); at most a minute ahead of the clock',
      parseInstant,
    )
    .option(
      '--allow-future',
      'allow an --at further ahead: simulation only (it records MISSED and takes snapshots as if that time had come)',
    )
    .action(tickAction);
}
