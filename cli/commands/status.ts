import type { Command } from 'commander';
import type { PolicyItem } from '../../lib/policy/types';
import type { RunStore } from '../../lib/runs/run-store';
import type { RunRecord } from '../../lib/runs/types';
import { contextOf } from '../context';
import { cell, formatDuration, formatUtc } from '../format';
import { printJson, printTable } from '../output';
import { listPolicyItems } from './policy-read';

/** When a run's snapshot was taken: its request (the snapshot holds the data of that moment). */
function takenAt(run: RunRecord): string {
  return run.requestedAt ?? run.completedAt ?? run.slot;
}

/** The policy's newest AVAILABLE run (by slot), from the runs table. */
export async function newestAvailableRun(runs: RunStore, policyId: string): Promise<RunRecord | undefined> {
  let newest: RunRecord | undefined;
  for await (const run of runs.listByPolicy(policyId, { statuses: ['AVAILABLE'] })) newest = run;
  return newest;
}

function statusOf(item: PolicyItem, newest: RunRecord | undefined, now: Date) {
  return {
    policyId: item.policyId,
    cacheName: item.cacheName,
    state: item.state,
    stateReason: item.stateReason,
    nextRunAt: item.nextRunAt,
    lastRun: item.lastRun,
    newestSnapshot: newest && {
      snapshotName: newest.snapshotName,
      slot: newest.slot,
      takenAt: takenAt(newest),
      ageSeconds: Math.round((now.getTime() - Date.parse(takenAt(newest))) / 1000),
    },
  };
}

async function statusAction(_options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const now = new Date();
  const lines = [];
  for (const item of await listPolicyItems(runtime)) {
    lines.push(statusOf(item, await newestAvailableRun(runtime.runs, item.policyId), now));
  }
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
