import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { formatDuration, formatUtc } from '#cli/format';
import { parseDuration } from '#cli/option-parsers';
import { printJson, printLine } from '#cli/output';
import type { RunRecord } from '#lib/runs/types';
import { type Runtime, schedulerDeps } from '#lib/runtime';
import { takeOnDemandSnapshot } from '#lib/scheduler/on-demand';
import { publishEvents } from '#lib/scheduler/tick';
import { waitForRun } from './snapshot-wait';
import { TICK_BUDGET_MS } from './tick';

interface SnapshotOptions {
  readonly cache?: string;
  readonly keep?: boolean;
  readonly wait?: boolean;
  readonly poll: number;
  readonly timeout: number;
}

/** The scheduler's dependencies with a fresh time budget (a tick's), for one step of the command. */
function depsFor(runtime: Runtime) {
  const startedAt = Date.now();
  return schedulerDeps(runtime, () => TICK_BUDGET_MS - (Date.now() - startedAt));
}

/** The run as `--json` prints it: the contract's run fields, and whether another command had asked first. */
function summary(run: RunRecord, alreadyRequested: boolean) {
  const { policyId, cacheName, slot, kind, snapshotName, status, attempts } = run;
  const error = run.lastError ? { code: run.lastError.code, message: run.lastError.message } : null;
  return {
    ...{ policyId, cacheName, slot, kind, snapshotName, status, attempts, error },
    keep: run.keep === true,
    alreadyRequested,
  };
}

function describe(run: RunRecord): string {
  const kept = run.keep ? ', kept' : '';
  const error = run.lastError ? ` (${run.lastError.code}: ${run.lastError.message})` : '';
  const retry = run.retryAt ? `; the scheduler tries again at ${formatUtc(run.retryAt)}` : '';
  // CLAIMED: another command holds the claim and is calling Create at this moment.
  const status = run.status === 'CLAIMED' ? 'being requested' : run.status;
  return `snapshot ${run.snapshotName} of cache ${run.cacheName} (policy ${run.policyId}, on demand${kept}): ${status}${error}${retry}`;
}

/** A run that ended without a snapshot fails the command (exit 1), after its line. */
function failUnlessTaken(run: RunRecord): void {
  if (run.status !== 'FAILED' && run.status !== 'MISSED' && run.status !== 'SKIPPED') return;
  throw new CliError(`no snapshot: run ${run.snapshotName} ended ${run.status}`);
}

async function snapshotAction(policyId: string, options: SnapshotOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const request = { policyId, cacheName: options.cache, keep: options.keep === true };
  const result = await takeOnDemandSnapshot(depsFor(runtime), {
    ...request,
    owner: `cli-snapshot-${randomUUID()}`,
  });
  if (result.outcome === 'refused') throw new CliError(`no snapshot taken: ${result.reason}`);
  const already = result.outcome === 'already-taken';
  const { json } = context.options;
  if (!json) {
    const prefix = already ? 'already asked for this minute by another command: ' : '';
    printLine(`${prefix}${describe(result.run)}`);
  }
  let run = result.run;
  if (options.wait) {
    let last = '';
    // Each look is one short step (a listing, a write, retention): each gets a tick's budget, however long the wait.
    const deps = { ...depsFor(runtime), remainingMs: () => TICK_BUDGET_MS };
    const report = (seen: RunRecord, elapsedMs: number) => {
      if (json || seen.status === last) return;
      printLine(`${formatDuration(elapsedMs)}: ${describe(seen)}`);
      last = seen.status;
    };
    try {
      run = await waitForRun(deps, result.run, { pollMs: options.poll, timeoutMs: options.timeout, report });
    } finally {
      // The wait's completion wrote through this publisher: its events go out now.
      await publishEvents(deps);
    }
  }
  if (json) printJson(summary(run, already));
  failUnlessTaken(run);
}

/** `snapshot <policyId> [--cache <name>] [--keep] [--wait]`: an on-demand snapshot of one target, now. */
export function registerSnapshotCommand(program: Command): void {
  program
    .command('snapshot')
    .description(
      "take a snapshot of a policy's target now, under the scheduler's rules (once per minute and target, " +
        'one snapshot in flight per cache, the quota, the managed tags); completion and retention follow it like any run',
    )
    .argument('<policyId>', 'the policy whose target to snapshot')
    .option(
      '--cache <name>',
      "the target's cache (required for a policy with targets: one of its ACTIVE targets)",
    )
    .option('--keep', 'exempt the snapshot from retention (tag snapshot-orchestrator-keep = true)')
    .option('--wait', 'follow the snapshot until it is available (exit 1 if it fails or the timeout passes)')
    .option('--poll <duration>', 'with --wait: how often to look', parseDuration, 15_000)
    .option('--timeout <duration>', 'with --wait: how long to wait', parseDuration, 3_600_000)
    .action(snapshotAction);
}
