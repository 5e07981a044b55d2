import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { cell, formatDuration, formatUtc } from '#cli/format';
import { printJson, printTable } from '#cli/output';
import type { PolicyItem } from '#lib/policy/types';
import { listPolicyItems } from './policy-read';

function statusOf(item: PolicyItem, now: Date) {
  const newest = item.newestSnapshot;
  return {
    policyId: item.policyId,
    cacheName: item.cacheName,
    state: item.state,
    stateReason: item.stateReason,
    nextRunAt: item.nextRunAt,
    lastRun: item.lastRun,
    newestSnapshot: newest && {
      ...newest,
      ageSeconds: Math.round((now.getTime() - Date.parse(newest.takenAt)) / 1000),
    },
  };
}

async function statusAction(_options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const now = new Date();
  const lines = (await listPolicyItems(runtime)).map((item) => statusOf(item, now));
  if (context.options.json) {
    printJson(lines);
    return;
  }
  const rows = lines.map((line) => [
    line.policyId,
    cell(line.cacheName),
    cell(line.state),
    line.lastRun ? formatUtc(line.lastRun.slot) : '-',
    line.lastRun ? [line.lastRun.status, line.lastRun.errorCode].filter(Boolean).join(' ') : '-',
    line.newestSnapshot ? `${formatDuration(line.newestSnapshot.ageSeconds * 1000)} ago` : 'none',
    line.nextRunAt ? formatUtc(line.nextRunAt) : '-',
    line.stateReason ?? '',
  ]);
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
