import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CliError } from './errors';

/** Where the table names may come from, first match wins: flags, environment, the deployed stack. */
export interface TableSources {
  readonly policiesTable?: string;
  readonly runsTable?: string;
  readonly targetsTable?: string;
  /** CloudFormation stack to read the outputs of; default `cache-snapshot-orchestrator-<stage>`. */
  readonly stack?: string;
  readonly stage: string;
}

/** The tables a command works on. */
export interface TableNames {
  readonly policiesTable: string;
  readonly runsTable: string;
  readonly targetsTable: string;
}

/** Reads a stack's outputs as `OutputKey → OutputValue`. */
export type ReadStackOutputs = (stackName: string) => Promise<Record<string, string>>;

/** The stack outputs serverless.yml declares for the tables. */
export const TABLE_OUTPUTS = {
  policiesTable: 'PoliciesTableName',
  runsTable: 'RunsTableName',
  targetsTable: 'TargetsTableName',
} as const;

/** The stack `serverless deploy --stage <stage>` creates for this service. */
export function defaultStackName(stage: string): string {
  return `cache-snapshot-orchestrator-${stage}`;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * The table names from `--policies-table`/`--runs-table`/`--targets-table`, else POLICIES_TABLE/RUNS_TABLE/
 * TARGETS_TABLE, else the outputs of the deployed stack (one DescribeStacks, made only when a name is still
 * missing).
 */
export async function resolveTableNames(
  sources: TableSources,
  env: Readonly<Record<string, string | undefined>>,
  readOutputs: ReadStackOutputs = describeStackOutputs,
): Promise<TableNames> {
  const policiesTable = present(sources.policiesTable) ?? present(env.POLICIES_TABLE);
  const runsTable = present(sources.runsTable) ?? present(env.RUNS_TABLE);
  const targetsTable = present(sources.targetsTable) ?? present(env.TARGETS_TABLE);
  if (policiesTable && runsTable && targetsTable) return { policiesTable, runsTable, targetsTable };
  const stackName = present(sources.stack) ?? defaultStackName(sources.stage);
  const outputs = await readOutputs(stackName);
  const fromStack = (role: keyof typeof TABLE_OUTPUTS) => {
    const value = present(outputs[TABLE_OUTPUTS[role]]);
    if (value) return value;
    throw new CliError(
      `stack ${stackName} has no output ${TABLE_OUTPUTS[role]}; is it this service's stack?`,
    );
  };
  return {
    policiesTable: policiesTable ?? fromStack('policiesTable'),
    runsTable: runsTable ?? fromStack('runsTable'),
    targetsTable: targetsTable ?? fromStack('targetsTable'),
  };
}

/**
 * The deployment the CLI acts as (its snapshots' names and `snapshot-orchestrator-deployment` tag):
 * DEPLOYMENT_NAME when set (the local stack prints it), else the stack the tables come from (`--stack`, or
 * `cache-snapshot-orchestrator-<stage>`): the deployment's name is its stack name.
 */
export function resolveDeploymentName(
  sources: TableSources,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return present(env.DEPLOYMENT_NAME) ?? present(sources.stack) ?? defaultStackName(sources.stage);
}

/** DescribeStacks through the default credential chain and region. */
export async function describeStackOutputs(stackName: string): Promise<Record<string, string>> {
  const client = new CloudFormationClient({});
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Stacks?.[0]?.Outputs ?? [];
    return Object.fromEntries(outputs.map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `could not read the table names from stack ${stackName} (${reason}); pass --stage or --stack, ` +
        'or --policies-table, --runs-table and --targets-table (or POLICIES_TABLE, RUNS_TABLE and TARGETS_TABLE)',
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}
