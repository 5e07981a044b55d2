import { Command } from 'commander';
import { MAX_QUOTED_LENGTH, shorten } from '#lib/errors';
import { registerCoverageCommand } from './commands/coverage';
import { registerPlanCommand } from './commands/plan';
import { registerPolicyCommands } from './commands/policy';
import { registerRestoreCommand } from './commands/restore';
import { registerRestoreTestCommand } from './commands/restore-test';
import { registerRunsCommand } from './commands/runs';
import { registerSnapshotCommand } from './commands/snapshot';
import { registerStatusCommand } from './commands/status';
import { registerTickCommand } from './commands/tick';

const TABLES_HELP = `
Tables: --policies-table/--runs-table/--targets-table, else POLICIES_TABLE/RUNS_TABLE/TARGETS_TABLE, else the outputs of the deployed
stack (--stack, default cache-snapshot-orchestrator-<stage>). AWS access: the default credential chain and
region (AWS_PROFILE, AWS_REGION, ...); AWS_ENDPOINT_URL_DYNAMODB/ELASTICACHE point it at the local stack.`;

/** A single-quoted argument in commander's error text longer than a message may quote. */
const LONG_QUOTED = new RegExp(`'([^'\\n]{${MAX_QUOTED_LENGTH + 1},})'`, 'g');

/**
 * Commander's own error text (`error: unknown option '--x'`, `error: missing required argument 'id'`) in the
 * CLI's error form: every line prefixed `cache-snapshots: error:` like main.ts's, and an argument it quotes
 * back cut to MAX_QUOTED_LENGTH characters.
 */
export function formatCommanderError(text: string): string {
  return text
    .replace(LONG_QUOTED, (_quoted, value: string) => `'${shorten(value)}'`)
    .split('\n')
    .map((line) => (line === '' ? line : `cache-snapshots: error: ${line.replace(/^error: /, '')}`))
    .join('\n');
}

/** The `cache-snapshots` program: global options, then one command group per module in commands/. */
export function buildProgram(): Command {
  const program = new Command('cache-snapshots')
    .description(
      'Operate cache-snapshot-orchestrator: policies, plans, run history, status, coverage, ticks, on-demand snapshots',
    )
    .option('--json', 'machine-readable output (JSON on stdout)')
    .option('--verbose', "the orchestrator's log lines, and stack traces on errors")
    .option('--policies-table <name>', 'policies table name')
    .option('--runs-table <name>', 'runs table name')
    .option('--targets-table <name>', 'targets table name')
    .option('--stage <stage>', 'stage of the deployed stack to read table names from', 'dev')
    .option('--stack <name>', 'CloudFormation stack to read table names from')
    .addHelpText('after', TABLES_HELP)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  registerPolicyCommands(program);
  registerPlanCommand(program);
  registerRunsCommand(program);
  registerStatusCommand(program);
  registerCoverageCommand(program);
  registerTickCommand(program);
  registerRestoreCommand(program);
  registerSnapshotCommand(program);
  registerRestoreTestCommand(program);
  return program;
}
