import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { cell, formatInZone, formatUtc, isUtcZone } from '#cli/format';
import { parseCount, parseInstant } from '#cli/option-parsers';
import { printJson, printLine, printTable } from '#cli/output';
import { describeIssues } from '#cli/policy-writes';
import { shorten } from '#lib/errors';
import { buildSnapshotName } from '#lib/naming/snapshot-name';
import { validatePolicy } from '#lib/policy/parse-policy';
import { policyForTarget } from '#lib/policy/policy-for-target';
import type { CachePolicy, Policy, PolicyItem } from '#lib/policy/types';
import type { RunStore } from '#lib/runs/run-store';
import type { RunStatus } from '#lib/runs/types';
import type { Runtime } from '#lib/runtime';
import { nextSlotAfter } from '#lib/schedule/policy-slots';
import { getPolicyItem, listTargetsOf, viewOf } from './policy-read';

interface PlanOptions {
  readonly count: number;
  readonly from?: Date;
  readonly cache?: string;
}

/** The policy's next `count` slots at or after `from`, each with the snapshot name it gets in `deployment`. */
export function planSlots(policy: CachePolicy, from: Date, count: number, deployment: string) {
  const slots: { slot: string; local: string; snapshotName: string }[] = [];
  let after = new Date(from.getTime() - 1);
  for (
    let next = nextSlotAfter(policy, after);
    next && slots.length < count;
    next = nextSlotAfter(policy, after)
  ) {
    slots.push({
      slot: next.toISOString(),
      local: formatInZone(next, policy.timezone),
      snapshotName: buildSnapshotName({ ...policy, deployment, slot: next }),
    });
    after = next;
  }
  return slots;
}

/**
 * The status of the scheduled run of each of `slots` that has one (one query of the cache's runs, from the
 * first slot to the last; on-demand runs of the same minute are not the slot's).
 */
async function runStatuses(
  runs: RunStore,
  key: { policyId: string; cacheName: string },
  slots: readonly { slot: string }[],
): Promise<Map<string, RunStatus>> {
  const statuses = new Map<string, RunStatus>();
  const [first, last] = [slots[0]?.slot, slots.at(-1)?.slot];
  if (first === undefined || last === undefined) return statuses;
  const wanted = new Set(slots.map((slot) => slot.slot));
  for await (const run of runs.listByPolicy(key.policyId, { since: first, cacheName: key.cacheName })) {
    if (run.slot > last) break;
    if (run.kind === 'SCHEDULED' && wanted.has(run.slot)) statuses.set(run.slot, run.status);
  }
  return statuses;
}

/**
 * The target a plan is for: a `cacheName` policy's cache, or the `--cache` target of a `targets` policy (its
 * own nextRunAt), which a targets policy needs; a CliError naming its targets otherwise.
 */
async function planTarget(runtime: Runtime, item: PolicyItem, policy: Policy, cache: string | undefined) {
  const { nextRunAt } = viewOf(item).view;
  if (policy.cacheName !== undefined) {
    if (cache !== undefined && cache !== policy.cacheName) {
      throw new CliError(
        `policy ${shorten(policy.policyId)} covers cache ${policy.cacheName}, not ${shorten(cache)}`,
      );
    }
    return { cacheName: policy.cacheName, nextRunAt };
  }
  const targets = await listTargetsOf(runtime, item);
  const found = targets.find((target) => target.cacheName === cache);
  if (cache === undefined || !found) {
    const names = targets.map((target) => `${target.cacheName} (${target.state})`).join(', ') || 'none yet';
    const asked = cache === undefined ? 'give --cache <name>' : `${shorten(cache)} is not one of its targets`;
    throw new CliError(
      `policy ${shorten(policy.policyId)} chooses its caches by targets: ${asked}; its targets: ${names}`,
    );
  }
  return { cacheName: found.cacheName, nextRunAt: found.nextRunAt };
}

async function planAction(policyId: string, options: PlanOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const item = await getPolicyItem(runtime, policyId);
  const parsed = validatePolicy(item);
  if (!parsed.ok) {
    throw new CliError(
      `policy ${shorten(policyId)} is invalid, it has no plan: ${describeIssues(parsed.issues)}`,
    );
  }
  const target = await planTarget(runtime, item, parsed.policy, options.cache);
  const policy = policyForTarget(parsed.policy, target.cacheName);
  const view = { ...viewOf(item).view, nextRunAt: target.nextRunAt };
  const planned = planSlots(policy, options.from ?? new Date(), options.count, runtime.config.deploymentName);
  const statuses = await runStatuses(runtime.runs, { policyId, cacheName: target.cacheName }, planned);
  const slots = planned.map((slot) => ({ ...slot, runStatus: statuses.get(slot.slot) ?? null }));
  if (context.options.json) {
    const { schedule, timezone } = policy;
    const { cacheName } = target;
    printJson({
      policyId,
      cacheName,
      schedule,
      timezone,
      state: view.state,
      nextRunAt: view.nextRunAt,
      slots,
    });
    return;
  }
  printLine(`${policyId}: ${policy.schedule} in ${policy.timezone}, state ${cell(view.state)}`);
  if (view.state !== 'ACTIVE') printLine('(not ACTIVE: these slots run only once the policy is ACTIVE)');
  const utc = isUtcZone(policy.timezone);
  const rows = slots.map((slot) => [
    ...(utc ? [] : [slot.local]),
    formatUtc(slot.slot),
    slot.snapshotName,
    slot.runStatus ?? '',
  ]);
  const headers = [...(utc ? [] : [`SLOT (${policy.timezone})`]), 'SLOT (UTC)', 'SNAPSHOT NAME', 'RUN'];
  printTable(headers, rows, 'no future slots');
}

/** `plan <id> [--count N] [--from time]`: what the policy will do next, and which of those slots already ran. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .argument('<id>', 'policy id')
    .description(
      "show the policy's next slots, in its time zone and UTC (one column for a UTC policy), the snapshot " +
        'name each gets, and the status of a slot that already has a run record',
    )
    .option('-n, --count <n>', 'how many slots (1-1000)', parseCount(1000), 5)
    .option('--from <time>', 'list slots at or after this ISO-8601 time instead of now', parseInstant)
    .option('--cache <name>', "the target's cache (required for a targets policy)")
    .action(planAction);
}
