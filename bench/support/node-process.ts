import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Node flags the functions run with: NODE_OPTIONS from serverless.yml's provider environment. */
export function deployedNodeFlags(): string[] {
  const document = parse(readFileSync(`${ROOT}serverless.yml`, 'utf8'), { logLevel: 'silent' }) as {
    provider?: { environment?: Record<string, unknown> };
  };
  const options = document.provider?.environment?.NODE_OPTIONS;
  return typeof options === 'string' ? options.split(/\s+/).filter(Boolean) : [];
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
