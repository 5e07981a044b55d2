import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { cell, formatDuration, formatUtc } from '#cli/format';
import { printJson, printTable } from '#cli/output';
import type { OrchestratorView } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem } from '#lib/policy/types';
import type { TargetRecord } from '#lib/targets/types';
import { listPolicyItems, listTargetsOf, viewOf } from './policy-read';

/**
 * One policy's status line. The orchestrator's attributes are read defensively (viewOf): a malformed one is
 * left out and listed in `problems` (and warned about), and the line is still shown.
 */
function statusOf(item: PolicyItem, now: Date) {
  const { view, problems } = viewOf(item);
  return lineOf(item.policyId, item.cacheName, view, now, problems);
}

/**
 * A target's status line: its own schedule state and summaries, under its policy's state (RETIRED when
 * the target is, with the reason).
 */
function targetStatusOf(item: PolicyItem, target: TargetRecord, now: Date) {
  const { view } = viewOf(item);
  const retired = target.state === 'RETIRED';
  const own = {
    state: retired ? 'RETIRED' : view.state,
    stateReason: retired ? target.retiredReason : view.stateReason,
    nextRunAt: target.nextRunAt,
    lastRun: target.lastRun,
    newestSnapshot: target.newestSnapshot,
  };
  return lineOf(item.policyId, target.cacheName, own as OrchestratorView, now, []);
}

function lineOf(policyId: string, cacheName: unknown, view: OrchestratorView, now: Date, problems: string[]) {
  const newest = view.newestSnapshot;
  return {
    policyId,
    cacheName,
    state: view.state as string | undefined,
    stateReason: view.stateReason,
    nextRunAt: view.nextRunAt,
    lastRun: view.lastRun,
    newestSnapshot: newest && {
      ...newest,
      ageSeconds: Math.round((now.getTime() - Date.parse(newest.takenAt)) / 1000),
    },
    ...(problems.length > 0 ? { problems } : {}),
  };
}

async function statusAction(options: { cache?: string }, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const now = new Date();
  const policies = await listPolicyItems(runtime);
  const items: PolicyItem[] = [];
  const lines: ReturnType<typeof statusOf>[] = [];
  for (const item of policies) {
    const targets = await listTargetsOf(runtime, item);
    const found =
      item.targets === undefined
        ? [statusOf(item, now)]
        : targets.map((target) => targetStatusOf(item, target, now));
    for (const line of found) {
      if (options.cache !== undefined && line.cacheName !== options.cache) continue;
      items.push(item);
      lines.push(line);
    }
  }
  if (context.options.json) {
    printJson(lines);
    return;
  }
  const rows = lines.map((line, index) => {
    // `?`: the item holds the attribute, but in a shape that cannot be read (the warning says which).
    const item = items[index];
    const fromItem = item?.targets === undefined;
    const absent = (name: string, none = '-') => (!fromItem || item?.[name] === undefined ? none : '?');
    return [
      line.policyId,
      cell(line.cacheName),
      line.state ?? absent('state'),
      line.lastRun ? formatUtc(line.lastRun.slot) : absent('lastRun'),
      line.lastRun
        ? [line.lastRun.status, line.lastRun.errorCode].filter(Boolean).join(' ')
        : absent('lastRun'),
      line.newestSnapshot
        ? `${formatDuration(line.newestSnapshot.ageSeconds * 1000)} ago`
        : absent('newestSnapshot', 'none'),
      line.nextRunAt ? formatUtc(line.nextRunAt) : absent('nextRunAt'),
      line.stateReason ?? '',
    ];
  });
  const headers = [
    'POLICY',
    'CACHE',
    'STATE',
    'LAST RUN',
    'OUTCOME',
    'NEWEST SNAPSHOT',
    'NEXT RUN',
    'REASON',
  ];
  printTable(headers, rows, 'no policies');
}

/**
 * `status [--cache name]`: one line per policy (per target for a `targets` policy): state, last run and its
 * outcome, age of the newest available snapshot.
 */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'one line per policy, or per target of a targets policy: state, last run and outcome, age of the newest available snapshot',
    )
    .option('--cache <name>', 'only the lines of this cache')
    .action(statusAction);
}
