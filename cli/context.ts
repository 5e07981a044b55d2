import type { Command } from 'commander';
import { loadConfig } from '#lib/config';
import { createRuntime, type Runtime } from '#lib/runtime';
import { resolveDeploymentName, resolveTableNames, type TableSources } from './resolve-tables';

/** The options every command takes (declared on the program in program.ts). */
export interface GlobalOptions extends TableSources {
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** What a command's action works with: the global options and, on first use, the adapters. */
export interface CommandContext {
  readonly options: GlobalOptions;
  /** The DynamoDB stores and the ElastiCache gateway, as the functions build them, on the resolved tables. */
  runtime(): Promise<Runtime>;
}

/** The context of the command being run (`command` is the Command commander passes to the action). */
export function contextOf(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  let runtime: Promise<Runtime> | undefined;
  return {
    options,
    runtime() {
      runtime ??= resolveTableNames(options, process.env).then((tables) =>
        createRuntime(
          loadConfig({
            ...process.env,
            POLICIES_TABLE: tables.policiesTable,
            RUNS_TABLE: tables.runsTable,
            TARGETS_TABLE: tables.targetsTable,
            DEPLOYMENT_NAME: resolveDeploymentName(options, process.env),
          }),
        ),
      );
      return runtime;
    },
  };
}
