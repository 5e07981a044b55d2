import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { cell, formatDuration, formatUtc } from '#cli/format';
import { printJson, printTable } from '#cli/output';
import type { PolicyItem } from '#lib/policy/types';
import { listPolicyItems, viewOf } from './policy-read';

/**
 * One policy's status line. The orchestrator's attributes are read defensively (viewOf): a malformed one is
 * left out and listed in `problems` (and warned about), and the line is still shown.
 */
function statusOf(item: PolicyItem, now: Date) {
  const { view, problems } = viewOf(item);
  const newest = view.newestSnapshot;
  return {
    policyId: item.policyId,
    cacheName: item.cacheName,
    state: view.state,
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

async function statusAction(_options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const now = new Date();
  const items = await listPolicyItems(runtime);
  const lines = items.map((item) => statusOf(item, now));
  if (context.options.json) {
    printJson(lines);
    return;
  }
  const rows = lines.map((line, index) => {
    // `?`: the item holds the attribute, but in a shape that cannot be read (the warning says which).
    const absent = (name: string, none = '-') => (items[index]?.[name] === undefined ? none : '?');
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

/** `status`: one line per policy: state, last run and its outcome, age of the newest available snapshot. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('one line per policy: state, last run and outcome, age of the newest available snapshot')
    .action(statusAction);
}
