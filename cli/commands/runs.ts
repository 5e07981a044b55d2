import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { exportCell } from '#cli/export-cell';
import { formatUtc } from '#cli/format';
import { parseSince, parseStatuses } from '#cli/option-parsers';
import { printJson, printTable, printWarning } from '#cli/output';
import { shorten } from '#lib/errors';
import type { RunRecord, RunStatus } from '#lib/runs/types';
import type { Runtime } from '#lib/runtime';

interface RunsOptions {
  readonly since?: Date;
  readonly status?: RunStatus[];
  readonly cache?: string;
}

function errorCell(run: RunRecord): string {
  if (!run.lastError) return '';
  const message =
    run.lastError.message.length > 60 ? `${run.lastError.message.slice(0, 59)}…` : run.lastError.message;
  return `${run.lastError.code}: ${message}`;
}

/** Whether the policy has at least one run record, whatever its slot and status. */
async function hasAnyRun(runtime: Runtime, policyId: string): Promise<boolean> {
  for await (const _run of runtime.runs.listByPolicy(policyId)) return true;
  return false;
}

/**
 * Fails for a policy id the tables do not know at all (no policy item, no run record), so a typo is not
 * mistaken for a policy that never ran. A deleted policy's records are shown, with a warning.
 */
async function checkPolicyKnown(runtime: Runtime, policyId: string, found: number): Promise<void> {
  if (await runtime.policies.get(policyId)) return;
  if (found > 0 || (await hasAnyRun(runtime, policyId))) {
    printWarning(`policy ${shorten(policyId)} no longer exists; its run records are kept`);
    return;
  }
  const { policiesTable, runsTable } = runtime.config;
  throw new CliError(
    `no policy ${shorten(policyId)} in table ${policiesTable}, and no run records of it in table ${runsTable}`,
  );
}

async function runsAction(policyId: string, options: RunsOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const query = { since: options.since?.toISOString(), statuses: options.status, cacheName: options.cache };
  const runs: RunRecord[] = [];
  for await (const run of runtime.runs.listByPolicy(policyId, query)) runs.push(run);
  await checkPolicyKnown(runtime, policyId, runs.length);
  if (context.options.json) {
    printJson(runs);
    return;
  }
  // A targets policy's runs are of several caches: each line says which.
  const manyCaches = new Set(runs.map((run) => run.cacheName)).size > 1;
  const rows = runs.map((run) => [
    ...(manyCaches ? [run.cacheName] : []),
    formatUtc(run.slot),
    run.status,
    String(run.attempts),
    run.snapshotName,
    run.keep ? `${run.kind} (kept)` : run.kind,
    exportCell(run),
    formatUtc(run.updatedAt),
    errorCell(run),
  ]);
  printTable(
    [
      ...(manyCaches ? ['CACHE'] : []),
      'SLOT (UTC)',
      'STATUS',
      'ATTEMPTS',
      'SNAPSHOT',
      'KIND',
      'EXPORT',
      'UPDATED',
      'LAST ERROR',
    ],
    rows,
    `no runs of ${policyId}`,
  );
}

/** `runs <id> [--since …] [--status …] [--cache …]`: a policy's run records, by cache then oldest slot first. */
export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .argument('<id>', 'policy id')
    .description("show a policy's run history (one record per scheduled slot), oldest first")
    .option(
      '--since <time>',
      'only slots at or after an ISO-8601 time, or this long ago (90m, 12h, 7d)',
      (value) => parseSince(value),
    )
    .option('--status <list>', 'only these statuses, comma-separated (repeatable)', parseStatuses)
    .option('--cache <name>', "only the runs of this cache (a targets policy's target)")
    .action(runsAction);
}
