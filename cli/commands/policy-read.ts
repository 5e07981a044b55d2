import type { Command } from 'commander';
import { stringify } from 'yaml';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { cell, formatUtc } from '#cli/format';
import { printJson, printLine, printTable } from '#cli/output';
import { shorten } from '#lib/errors';
import type { PolicyItem } from '#lib/policy/types';
import type { Runtime } from '#lib/runtime';

/** The stored item of `policyId`, or a CliError naming the table. */
export async function getPolicyItem(runtime: Runtime, policyId: string): Promise<PolicyItem> {
  const item = await runtime.policies.get(policyId);
  if (!item) throw new CliError(`no policy ${shorten(policyId)} in table ${runtime.config.policiesTable}`);
  return item;
}

/** Every policy item, sorted by id. */
export async function listPolicyItems(runtime: Runtime): Promise<PolicyItem[]> {
  const items: PolicyItem[] = [];
  for await (const item of runtime.policies.listAll()) items.push(item);
  return items.sort((a, b) => a.policyId.localeCompare(b.policyId));
}

/** `policy get <id>`: the item as stored, operator and orchestrator attributes, as YAML (or JSON). */
export async function getAction(policyId: string, _options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const item = await getPolicyItem(await context.runtime(), policyId);
  if (context.options.json) printJson(item);
  else printLine(stringify(item).trimEnd());
}

/** `policy list`: one line per policy with its schedule, state and next run. */
export async function listAction(_options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const items = await listPolicyItems(await context.runtime());
  if (context.options.json) {
    printJson(items);
    return;
  }
  const rows = items.map((item) => [
    item.policyId,
    cell(item.cacheName),
    cell(item.schedule),
    cell(item.timezone ?? 'UTC'),
    cell(item.state),
    item.nextRunAt ? formatUtc(item.nextRunAt) : '-',
    item.stateReason ?? '',
  ]);
  printTable(['POLICY', 'CACHE', 'SCHEDULE', 'TIMEZONE', 'STATE', 'NEXT RUN', 'REASON'], rows, 'no policies');
}
