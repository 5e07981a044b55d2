import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** serverless.yml's provider environment: what every function's process starts with. */
function providerEnvironment(): Record<string, unknown> {
  const document = parse(readFileSync(`${ROOT}serverless.yml`, 'utf8'), { logLevel: 'silent' }) as {
    provider?: { environment?: Record<string, unknown> };
  };
  return document.provider?.environment ?? {};
}

/** The Node flags the functions run with: NODE_OPTIONS from serverless.yml's provider environment. */
export function deployedNodeFlags(): string[] {
  const options = providerEnvironment().NODE_OPTIONS;
  return typeof options === 'string' ? options.split(/\s+/).filter(Boolean) : [];
}

/** The variables of serverless.yml's provider environment that the process itself reads (not our code). */
const PROCESS_VARIABLES = ['MALLOC_ARENA_MAX'];

/** Those variables as deployed, for a process measured as the functions run. */
export function deployedProcessEnv(): Record<string, string> {
  const environment = providerEnvironment();
  return Object.fromEntries(
    PROCESS_VARIABLES.flatMap((name) => {
      const value = environment[name];
      return typeof value === 'string' || typeof value === 'number' ? [[name, String(value)]] : [];
    }),
  );
}

/** What a handler's module scope needs from the environment (no AWS is called at load time). */
export const FUNCTION_ENV: Readonly<Record<string, string>> = {
  POLICIES_TABLE: 'bench-policies',
  RUNS_TABLE: 'bench-runs',
  TARGETS_TABLE: 'bench-targets',
  DEPLOYMENT_NAME: 'cache-snapshot-orchestrator-bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function runNode(args: readonly string[]) {
  const result = spawnSync(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return result.stdout.toString();
}

/** Wall time of a fresh `node <flags> <file>` from spawn to exit, in milliseconds. */
export function timeFreshProcess(file: string, flags: readonly string[]): number {
  const started = performance.now();
  runNode([...flags, file]);
  return performance.now() - started;
}

/** Time `require(file)` takes inside a fresh process, in milliseconds: finer than a whole process's start. */
export function timeRequire(file: string, flags: readonly string[]): number {
  const script = `const t = performance.now(); require(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  return Number(
    runNode([...flags, '-e', script])
      .trim()
      .split('\n')
      .at(-1),
  );
}
