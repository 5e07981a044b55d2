import { fork } from 'node:child_process';
import { startFixture } from '#bench/support/fixture';
import { deployedNodeFlags, FUNCTION_ENV, ROOT } from '#bench/support/node-process';
import { formatNumber } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { toIso } from '#lib/clock';
import type { TickSummary } from '#lib/scheduler/tick';

const DUE = 1_000;
const CHILD = `${ROOT}bench/children/invoke-scheduler.cjs`;

interface ChildReport {
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly summary?: TickSummary;
  readonly error?: string;
}

/** V8 heap limits that leave a 128 MB sandbox room for code, the source map and buffers. */
const HEAP_CAP = ['--max-old-space-size=64', '--max-semi-space-size=2'];

/**
 * Runs the deployed scheduler bundle in a fresh process with the deployed Node flags (plus `extraFlags`);
 * `init` only loads it.
 */
function runChild(
  mode: 'init' | 'tick',
  at: Date,
  env: Readonly<Record<string, string>>,
  extraFlags: readonly string[],
): Promise<ChildReport> {
  const child = fork(CHILD, [`${ROOT}dist/functions/scheduler.cjs`, mode, toIso(at)], {
    execArgv: [...deployedNodeFlags(), ...extraFlags],
    env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENV, ...env, LOG_LEVEL: 'INFO' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('message', (report: ChildReport) => {
      if (report.error) reject(new Error(`scheduler ${mode} failed: ${report.error}\n${stderr}`));
      else resolve(report);
    });
    child.once('exit', (code) => reject(new Error(`scheduler ${mode} exited with ${code}:\n${stderr}`)));
  });
}

const mb = (kb: number) => `${formatNumber(kb / 1024, 1)} MB`;

/** A load-only child, then one tick taking DUE due policies in another, against a fresh stack. */
async function tickOnFreshStack(extraFlags: readonly string[] = []) {
  const fixture = await startFixture();
  try {
    await fixture.seedDue(DUE);
    const init = await runChild('init', fixture.at, fixture.stack.env, extraFlags);
    const tick = await runChild('tick', fixture.at, fixture.stack.env, extraFlags);
    if (tick.summary?.claimed !== DUE)
      throw new Error(`the tick claimed ${tick.summary?.claimed}, not ${DUE}`);
    return { init, tick };
  } finally {
    await fixture.stop();
  }
}

/**
 * Row 4: peak RSS and CPU time of the deployed scheduler bundle running one tick that takes 1,000 due
 * policies on 1,000 caches, in a fresh process against a stack in another, beside the same bundle only
 * loaded; then the same with the V8 heap capped as a 128 MB sandbox would need.
 */
export async function measureMemory(): Promise<Row[]> {
  const { init, tick } = await tickOnFreshStack();
  const capped = (await tickOnFreshStack(HEAP_CAP)).tick;
  return [
    {
      name: `4. memory: peak RSS of a tick taking ${formatNumber(DUE)} due (deployed bundle, fresh process)`,
      measured: mb(tick.maxRssKb),
      baseline: `${mb(init.maxRssKb)} (bundle loaded, no tick)`,
      ratio: tick.maxRssKb / init.maxRssKb,
      target: '≤ 128 MB',
      pass: tick.maxRssKb <= 128 * 1024,
    },
    {
      name: `4. memory: the same tick with the V8 heap capped (${HEAP_CAP.join(' ')})`,
      measured: `${mb(capped.maxRssKb)} peak RSS, ${formatNumber(capped.cpuMs / 1000, 1)} s CPU`,
      baseline: `${mb(tick.maxRssKb)}, ${formatNumber(tick.cpuMs / 1000, 1)} s CPU uncapped`,
      ratio: capped.maxRssKb / tick.maxRssKb,
      target: 'info: ≤ 128 MB means the live set fits',
      pass: undefined,
    },
    {
      name: '4. memory: CPU time of the uncapped tick (Lambda gives 1 vCPU per 1,769 MB)',
      measured: `${formatNumber(tick.cpuMs / 1000, 1)} s CPU`,
      baseline: `${formatNumber(tick.wallMs / 1000, 1)} s wall on this machine`,
      ratio: tick.cpuMs / tick.wallMs,
      target: 'info',
      pass: undefined,
    },
  ];
}
