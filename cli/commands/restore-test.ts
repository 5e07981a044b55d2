import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { formatDuration } from '#cli/format';
import { parseDuration } from '#cli/option-parsers';
import { printJson, printLine } from '#cli/output';
import { realSleep, type Sleep, toIso } from '#lib/clock';
import { advanceRestoreTest } from '#lib/restore-tests/advance';
import { startRestoreTest, targetsInFlight } from '#lib/restore-tests/start-restore-test';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import { type Runtime, restoreTestDeps } from '#lib/runtime';
import { loadUsablePolicy } from '#lib/scheduler/load-policy';
import { resolveTarget } from '#lib/targets/resolve-target';

interface RestoreTestOptions {
  readonly cache?: string;
  readonly wait?: boolean;
  readonly poll: number;
}

/**
 * The policy to test as it applies to the target, by the rules `snapshot` follows too: the policy exists,
 * is valid and enabled (loadUsablePolicy), and the target is its cache, or for a `targets` policy the ACTIVE
 * target `--cache` names (resolveTarget).
 */
async function targetOf(runtime: Runtime, policyId: string, cache: string | undefined) {
  const policy = await loadUsablePolicy(runtime, policyId);
  if (typeof policy === 'string') throw new CliError(`no restore test started: ${policy}`);
  const target = await resolveTarget(runtime.targets.table, policy, cache);
  if (typeof target === 'string') throw new CliError(`no restore test started: ${target}`);
  return target;
}

/** One line per state of a test: its status, snapshot, scratch cache, duration or error, cleanup. */
function describeTest(record: RestoreTestRecord): string {
  const from = record.snapshotName ? ` from ${record.snapshotName}` : '';
  const detail =
    record.status === 'VERIFIED'
      ? ` in ${formatDuration((record.restoreSeconds ?? 0) * 1000)}`
      : record.status === 'FAILED'
        ? `: ${record.lastError?.code}: ${record.lastError?.message}`
        : '';
  const cleanup = record.cleanedUpAt
    ? ', scratch cache gone'
    : record.status === 'RESTORING'
      ? ''
      : ', scratch cache being deleted';
  return `restore test ${record.policyId}/${record.cacheName} ${record.slot}: ${record.status}${from} into ${record.scratchCacheName}${detail}${cleanup}`;
}

/**
 * `restore-test <policyId> [--cache <name>] [--wait]`: a restore test now (docs/architecture.md, "Restore
 * tests"): kind RESTORE_TEST, the current minute as its slot, under the same exactly-once claim and
 * one-in-flight rule as scheduled tests; the Create is made at once. With `--wait` the command follows the
 * test itself (as a tick does; both may, their writes are conditional) until VERIFIED or FAILED and asks for
 * the scratch cache's deletion; without, the scheduler's ticks follow it. Exit 1 when it FAILED.
 */
async function restoreTestAction(
  policyId: string,
  options: RestoreTestOptions,
  command: Command,
  sleep: Sleep = realSleep,
) {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const policy = await targetOf(runtime, policyId, options.cache);
  const { cacheName } = policy;
  const deps = restoreTestDeps(runtime, runtime.config.deploymentName);
  const now = deps.clock();
  const slot = toIso(new Date(Math.floor(now.getTime() / 60_000) * 60_000));
  const outcome = await startRestoreTest(deps, policy, cacheName, slot, await targetsInFlight(deps));
  if (!outcome.started) {
    const why = outcome.inFlight
      ? `a restore test of ${policyId}/${cacheName} is still in flight (its scratch cache is not gone yet)`
      : `a restore test of ${policyId}/${cacheName} for ${slot} exists already: ${outcome.record ? describeTest(outcome.record) : ''}`;
    throw new CliError(`${why}; try again later`);
  }
  const { json } = context.options;
  let record = await advanceRestoreTest(deps, outcome.record);
  if (!json) printLine(describeTest(record));
  while (options.wait && record.status === 'RESTORING') {
    await sleep(options.poll);
    const read = await runtime.restoreTests.get(record);
    if (read === undefined)
      throw new CliError(`the restore test ${policyId}/${cacheName} ${slot} disappeared`);
    // A Create another follower (a tick) holds the lease of is left to it: looked at again next poll.
    const createHeld =
      read.requestedAt === undefined && read.attempts > 0 && (read.nextCheckAt ?? '') > toIso(deps.clock());
    record = createHeld ? read : await advanceRestoreTest(deps, read);
    if (!json && record.status !== 'RESTORING') printLine(describeTest(record));
  }
  await deps.events.flush(5_000);
  if (json) printJson(record);
  if (record.status === 'FAILED') throw new CliError(`the restore test FAILED: ${record.lastError?.code}`);
}

/** Registers `restore-test`. */
export function registerRestoreTestCommand(program: Command): void {
  program
    .command('restore-test')
    .description(
      "restore the target's newest AVAILABLE snapshot into a scratch cache now, as a scheduled restore test does " +
        '(VERIFIED once available, FAILED with the reason; the scratch cache is deleted afterwards)',
    )
    .argument('<policyId>', 'the policy whose target to test')
    .option(
      '--cache <name>',
      "the target's cache (required for a policy with targets: one of its ACTIVE targets)",
    )
    .option('--wait', 'follow the test until VERIFIED or FAILED (exit 1 if it FAILED)')
    .option('--poll <duration>', 'with --wait: how often to look', parseDuration, 15_000)
    .action((policyId: string, options: RestoreTestOptions, command: Command) =>
      restoreTestAction(policyId, options, command),
    );
}
