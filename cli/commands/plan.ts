import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { cell, formatInZone, formatUtc } from '#cli/format';
import { parseCount, parseInstant } from '#cli/option-parsers';
import { printJson, printLines, printTable } from '#cli/output';
import { describeIssues } from '#cli/policy-writes';
import { buildSnapshotName } from '#lib/naming/snapshot-name';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { Policy } from '#lib/policy/types';
import { nextSlotAfter } from '#lib/schedule/policy-slots';
import { getPolicyItem } from './policy-read';

interface PlanOptions {
  readonly count: number;
  readonly from?: Date;
}

/** The policy's next `count` slots at or after `from`, each with the snapshot name it gets in `deployment`. */
export function planSlots(policy: Policy, from: Date, count: number, deployment: string) {
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

async function planAction(policyId: string, options: PlanOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const item = await getPolicyItem(runtime, policyId);
  const parsed = validatePolicy(item);
  if (!parsed.ok) {
    throw new CliError(`policy ${policyId} is invalid, it has no plan: ${describeIssues(parsed.issues)}`);
  }
  const { policy } = parsed;
  const slots = planSlots(policy, options.from ?? new Date(), options.count, runtime.config.deploymentName);
  if (context.options.json) {
    const { schedule, timezone } = policy;
    printJson({ policyId, schedule, timezone, state: item.state, nextRunAt: item.nextRunAt, slots });
    return;
  }
  printLines(`${policyId}: ${policy.schedule} in ${policy.timezone}, state ${cell(item.state)}`);
  if (item.state !== 'ACTIVE') printLines(`(not ACTIVE: these slots run only once the policy is ACTIVE)`);
  const rows = slots.map((slot) => [slot.local, formatUtc(slot.slot), slot.snapshotName]);
  printTable([`SLOT (${policy.timezone})`, 'SLOT (UTC)', 'SNAPSHOT NAME'], rows, 'no future slots');
}

/** `plan <id> [--count N] [--from time]`: what the policy will do next. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .argument('<id>', 'policy id')
    .description("show the policy's next slots, in its time zone and UTC, and the snapshot name each gets")
    .option('-n, --count <n>', 'how many slots (1-1000)', parseCount(1000), 5)
    .option('--from <time>', 'list slots at or after this ISO-8601 time instead of now', parseInstant)
    .action(planAction);
}
