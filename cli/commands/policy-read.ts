import type { Command } from 'commander';
import { stringify } from 'yaml';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { cell, formatUtc } from '#cli/format';
import { printJson, printLine, printTable, printWarning } from '#cli/output';
import { describeIssues } from '#cli/policy-writes';
import { shorten } from '#lib/errors';
import { type OrchestratorView, readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem } from '#lib/policy/types';
import type { Runtime } from '#lib/runtime';
import type { TargetRecord } from '#lib/targets/types';

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

/** The targets of a `targets` policy (ACTIVE and RETIRED, by cache name); none for any other item. */
export async function listTargetsOf(runtime: Runtime, item: PolicyItem): Promise<TargetRecord[]> {
  if (item.targets === undefined) return [];
  const targets: TargetRecord[] = [];
  for await (const target of runtime.targets.table.listByPolicy(item.policyId)) targets.push(target);
  return targets;
}

/**
 * The orchestrator's attributes of `item`, read defensively (readOrchestratorAttributes): a broken one is
 * left out, so the item is still shown, and named in one warning line on stderr. Returns the problems too,
 * for JSON output.
 */
export function viewOf(item: PolicyItem): { view: OrchestratorView; problems: string[] } {
  const { view, problems } = readOrchestratorAttributes(item);
  if (problems.length > 0) {
    printWarning(
      `policy ${shorten(item.policyId)} has malformed orchestrator attributes, shown without them: ${describeIssues(problems)}`,
    );
  }
  return { view, problems: problems.map((problem) => describeIssues([problem])) };
}

/** `policy get <id>`: the item as stored, operator and orchestrator attributes, as YAML (or JSON). */
export async function getAction(policyId: string, _options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const item = await getPolicyItem(await context.runtime(), policyId);
  if (context.options.json) printJson(item);
  else printLine(stringify(item).trimEnd());
}

/** A target's line under its policy in `policy list`: its cache, state and next run, or why it was retired. */
function targetRow(target: TargetRecord): string[] {
  const next = target.nextRunAt ? formatUtc(target.nextRunAt) : '-';
  return [' └', target.cacheName, '', '', target.state, next, target.retiredReason ?? ''];
}

/**
 * `policy list`: one line per policy with its schedule, state and next run; under a `targets` policy one line
 * per target (its cache, state and next run). `--json`: the items, a targets policy's with `enrolledTargets`.
 */
export async function listAction(_options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const items = await listPolicyItems(runtime);
  const targets = await Promise.all(items.map((item) => listTargetsOf(runtime, item)));
  if (context.options.json) {
    for (const item of items) viewOf(item);
    printJson(
      items.map((item, index) =>
        item.targets === undefined ? item : { ...item, enrolledTargets: targets[index] ?? [] },
      ),
    );
    return;
  }
  const rows = items.flatMap((item, index) => {
    const { view } = viewOf(item);
    const own = [
      item.policyId,
      item.targets === undefined ? cell(item.cacheName) : `targets (${targets[index]?.length ?? 0})`,
      cell(item.schedule),
      cell(item.timezone ?? 'UTC'),
      cell(view.state),
      view.nextRunAt ? formatUtc(view.nextRunAt) : '-',
      view.stateReason ?? '',
    ];
    return [own, ...(targets[index] ?? []).map(targetRow)];
  });
  printTable(['POLICY', 'CACHE', 'SCHEDULE', 'TIMEZONE', 'STATE', 'NEXT RUN', 'REASON'], rows, 'no policies');
}
