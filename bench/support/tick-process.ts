import { fork } from 'node:child_process';
import { build } from 'esbuild';
import { startFixture } from '#bench/support/fixture';
import { deployedNodeFlags, deployedProcessEnv, FUNCTION_ENV, ROOT } from '#bench/support/node-process';
import { toIso } from '#lib/clock';
import { FUNCTION_BUNDLE } from '#scripts/bundle-options.mjs';
import { OUT } from './variants';

const CHILD = `${ROOT}bench/children/invoke-scheduler.cjs`;

/** The deployed scheduler bundle, as `npm run build` writes it. */
export const SCHEDULER_BUNDLE = `${ROOT}dist/functions/scheduler.cjs`;

/** What bench/children/invoke-scheduler.cjs reports of one fresh process. */
export interface ProcessReport {
  readonly maxRssKb: number;
  /** user + system CPU time of the whole process, load included. */
  readonly cpuMs: number;
  /** The system (kernel) part of cpuMs: sockets, mostly. */
  readonly systemMs: number;
  readonly wallMs: number;
  readonly summary?: { readonly claimed?: number };
  readonly error?: string;
}

/** Variables of a measured process; one set to `undefined` is left out (e.g. a deployed one). */
export type ProcessEnv = Readonly<Record<string, string | undefined>>;

/**
 * Runs `bundle`'s handler in a fresh process with the deployed Node flags (plus `extraFlags`), the
 * deployed process variables (deployedProcessEnv) and log level: `init` only loads it, `tick` invokes it
 * once with a scheduled event at `at`.
 */
export function runBundle(
  bundle: string,
  mode: 'init' | 'tick',
  at: Date,
  env: ProcessEnv,
  extraFlags: readonly string[] = [],
): Promise<ProcessReport> {
  const variables = { PATH: process.env.PATH ?? '', ...FUNCTION_ENV, ...deployedProcessEnv(), ...env };
  const child = fork(CHILD, [bundle, mode, toIso(at)], {
    execArgv: [...deployedNodeFlags(), ...extraFlags],
    env: {
      ...Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined)),
      LOG_LEVEL: 'INFO',
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('message', (report: ProcessReport) => {
      if (report.error) reject(new Error(`${bundle} ${mode} failed: ${report.error}\n${stderr}`));
      else resolve(report);
    });
    child.once('exit', (code) => reject(new Error(`${bundle} ${mode} exited with ${code}:\n${stderr}`)));
  });
}

/**
 * Runs `bundle` once in `mode` against a fresh stack in another process holding `due` due policies on as
 * many caches (bench/support/fixture.ts), and checks that a tick claimed every one of them.
 */
export async function runOnFreshStack(
  bundle: string,
  mode: 'init' | 'tick',
  due: number,
  env: ProcessEnv = {},
  extraFlags: readonly string[] = [],
): Promise<ProcessReport> {
  const fixture = await startFixture();
  try {
    await fixture.seedDue(due);
    const report = await runBundle(bundle, mode, fixture.at, { ...fixture.stack.env, ...env }, extraFlags);
    if (mode === 'tick' && report.summary?.claimed !== due) {
      throw new Error(`${bundle} claimed ${report.summary?.claimed}, not ${due}`);
    }
    return report;
  } finally {
    await fixture.stop();
  }
}

/** bench/children/bare-snapshot-calls.ts bundled with the functions' options; returns its path. */
export async function buildBareCalls(): Promise<string> {
  const outfile = `${OUT}bare-snapshot-calls.cjs`;
  await build({ ...FUNCTION_BUNDLE, entryPoints: [`${ROOT}bench/children/bare-snapshot-calls.ts`], outfile });
  return outfile;
}
