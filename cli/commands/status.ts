import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { cell, formatDuration, formatUtc } from '#cli/format';
import { parseAccount, parseRegion } from '#cli/option-parsers';
import { printJson, printTable } from '#cli/output';
import type { Placement } from '#lib/placements/placement';
import type { OrchestratorView } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem } from '#lib/policy/types';
import type { TargetRecord } from '#lib/targets/types';
import { listPolicyItems, listTargetsOf, viewOf } from './policy-read';

interface StatusOptions {
  readonly cache?: string;
  readonly account?: string;
  readonly region?: string;
}

/** The item's account or region as written, the orchestrator's own when absent, `?` when not a string. */
function placementField(item: PolicyItem, name: 'account' | 'region', home: Placement): string {
  const value = item[name];
  if (value === undefined) return home[name];
  return typeof value === 'string' ? value : '?';
}

/**
 * One policy's status line. The orchestrator's attributes are read defensively (viewOf): a malformed one is
 * left out and listed in `problems` (and warned about), and the line is still shown.
 */
function statusOf(item: PolicyItem, now: Date, home: Placement) {
  const { view, problems } = viewOf(item);
  return lineOf(item, item.cacheName, view, { now, home }, problems);
}

/**
 * A target's status line: its own schedule state and summaries, under its policy's state (RETIRED when
 * the target is, with the reason).
 */
function targetStatusOf(item: PolicyItem, target: TargetRecord, now: Date, home: Placement) {
  const { view } = viewOf(item);
  const retired = target.state === 'RETIRED';
  const own = {
    state: retired ? 'RETIRED' : view.state,
    stateReason: retired ? target.retiredReason : view.stateReason,
    nextRunAt: target.nextRunAt,
    lastRun: target.lastRun,
    newestSnapshot: target.newestSnapshot,
  };
  return lineOf(item, target.cacheName, own as OrchestratorView, { now, home }, []);
}

function lineOf(
  item: PolicyItem,
  cacheName: unknown,
  view: OrchestratorView,
  { now, home }: { now: Date; home: Placement },
  problems: string[],
) {
  const newest = view.newestSnapshot;
  return {
    policyId: item.policyId,
    cacheName,
    account: placementField(item, 'account', home),
    region: placementField(item, 'region', home),
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

async function statusAction(options: StatusOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const now = new Date();
  const home = await runtime.placements.home();
  const policies = (await listPolicyItems(runtime)).filter((item) => {
    const matches = (name: 'account' | 'region') =>
      options[name] === undefined || placementField(item, name, home) === options[name];
    return matches('account') && matches('region');
  });
  const items: PolicyItem[] = [];
  const lines: ReturnType<typeof statusOf>[] = [];
  for (const item of policies) {
    const targets = await listTargetsOf(runtime, item);
    // A targets policy with no target yet (its selector chooses none, or it never became ACTIVE) still has
    // its own line: its state and reason are what the operator needs to see.
    const found =
      targets.length === 0
        ? [statusOf(item, now, home)]
        : targets.map((target) => targetStatusOf(item, target, now, home));
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
      line.account,
      line.region,
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
    'ACCOUNT',
    'REGION',
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
 * `status [--cache name] [--account …] [--region …]`: one line per policy (per target for a `targets`
 * policy): its account and region (the orchestrator's own where it names none), state, last run and its
 * outcome, age of the newest available snapshot.
 */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'one line per policy, or per target of a targets policy: state, last run and outcome, age of the newest available snapshot',
    )
    .option('--cache <name>', 'only the lines of this cache')
    .option(
      '--account <id>',
      "only policies in this account (the orchestrator's own if they name none)",
      parseAccount,
    )
    .option(
      '--region <code>',
      "only policies in this region (the orchestrator's own if they name none)",
      parseRegion,
    )
    .action(statusAction);
}
