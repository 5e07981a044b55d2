import { DUE_CACHE_PREFIX } from '#bench/support/fixture';
import { formatNumber, median } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import {
  buildBareCalls,
  type ProcessReport,
  runBundle,
  runOnFreshStack,
  SCHEDULER_BUNDLE,
} from '#bench/support/tick-process';
import { DEFAULTS } from '#lib/config';

const DUE = 1_000;
/** Rounds of (tick, bare calls, bare calls on cached clients), the order rotating; figures are medians. */
const ROUNDS = 3;
const RSS_TARGET_MB = 128;
const CPU_TARGET_MS = 2;
const CPU_RATIO_TARGET = 1.5;

/** V8 heap limits that leave a 128 MB sandbox room for code, the source map and buffers. */
const HEAP_CAP = ['--max-old-space-size=64', '--max-semi-space-size=2'];

const mb = (kb: number) => `${formatNumber(kb / 1024, 1)} MB`;
const ms = (value: number) => `${formatNumber(value, 2)} ms`;
const spread = (values: readonly number[], unit: (value: number) => string) =>
  `${unit(Math.min(...values))}–${unit(Math.max(...values))}`;

interface Figures {
  readonly rssKb: number[];
  readonly cpuMs: number[];
  readonly systemMs: number[];
  readonly wallMs: number[];
}

function collect(reports: readonly ProcessReport[]): Figures {
  return {
    rssKb: reports.map((report) => report.maxRssKb),
    cpuMs: reports.map((report) => report.cpuMs),
    systemMs: reports.map((report) => report.systemMs),
    wallMs: reports.map((report) => report.wallMs),
  };
}

/**
 * Row 4: a tick taking 1,000 due policies on 1,000 caches, run by the deployed scheduler bundle in a fresh
 * process against a stack in another, beside the baseline: the same kind of process making only the SDK
 * calls one snapshot cannot avoid (bench/children/bare-snapshot-calls.ts), at the tick's concurrency,
 * against a stack seeded alike (and once more with the clients built as the orchestrator builds its own).
 * Peak RSS and CPU (user + system, load included) of each, medians of ROUNDS.
 */
export async function measureTick(): Promise<Row[]> {
  const bare = await buildBareCalls();
  const bareEnv = {
    BARE_CACHE_PREFIX: DUE_CACHE_PREFIX,
    BARE_COUNT: String(DUE),
    BARE_CONCURRENCY: String(DEFAULTS.concurrency),
  };
  const cachedEnv = { ...bareEnv, BARE_CACHE_MIDDLEWARE: 'true' };
  const reports: Record<'tick' | 'bare' | 'cached', ProcessReport[]> = { tick: [], bare: [], cached: [] };
  const runs: Record<keyof typeof reports, () => Promise<ProcessReport>> = {
    tick: () => runOnFreshStack(SCHEDULER_BUNDLE, 'tick', DUE),
    bare: () => runOnFreshStack(bare, 'tick', DUE, bareEnv),
    cached: () => runOnFreshStack(bare, 'tick', DUE, cachedEnv),
  };
  const loads: ProcessReport[] = [];
  const order = Object.keys(runs) as (keyof typeof runs)[];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const key of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
      reports[key].push(await runs[key]());
    }
    loads.push(await runBundle(SCHEDULER_BUNDLE, 'init', new Date(), {}));
  }
  const capped = await runOnFreshStack(SCHEDULER_BUNDLE, 'tick', DUE, {}, HEAP_CAP);
  const arenas = await runOnFreshStack(SCHEDULER_BUNDLE, 'tick', DUE, { MALLOC_ARENA_MAX: undefined });
  const tick = collect(reports.tick);
  const base = collect(reports.bare);
  const cached = collect(reports.cached);
  const load = collect(loads);
  const rss = median(tick.rssKb);
  const cpuPerDue = median(tick.cpuMs) / DUE;
  const barePerDue = median(base.cpuMs) / DUE;
  const ratio = cpuPerDue / barePerDue;
  const due = formatNumber(DUE);
  return [
    {
      name: `4. tick of ${due} due (deployed bundle, fresh process): peak RSS, median of ${ROUNDS}`,
      measured: `${mb(rss)} (${spread(tick.rssKb, mb)}; ${mb(median(load.rssKb))} bundle only loaded)`,
      baseline: `${mb(median(base.rssKb))} (bare SDK calls)`,
      ratio: rss / median(base.rssKb),
      target: `≤ ${RSS_TARGET_MB} MB`,
      pass: rss <= RSS_TARGET_MB * 1024,
    },
    {
      name: `4. tick of ${due} due: CPU per due snapshot (user + system of the process ÷ ${due}), median of ${ROUNDS}`,
      measured: `${ms(cpuPerDue)} (${spread(tick.cpuMs, (v) => ms(v / DUE))}; system ${ms(median(tick.systemMs) / DUE)}; load ${ms(median(load.cpuMs) / DUE)})`,
      baseline: `${ms(barePerDue)} bare SDK calls: claim PutItem, Create, outcome PutItem (${spread(base.cpuMs, (v) => ms(v / DUE))}; system ${ms(median(base.systemMs) / DUE)})`,
      ratio,
      target: `≤ ${CPU_RATIO_TARGET} × baseline and ≤ ${CPU_TARGET_MS} ms`,
      pass: ratio <= CPU_RATIO_TARGET && cpuPerDue <= CPU_TARGET_MS,
    },
    {
      name: `4. tick of ${due} due: CPU per due snapshot against the same bare calls on clients built as the orchestrator's (cacheMiddleware)`,
      measured: ms(cpuPerDue),
      baseline: `${ms(median(cached.cpuMs) / DUE)} (${spread(cached.cpuMs, (v) => ms(v / DUE))}; peak RSS ${mb(median(cached.rssKb))})`,
      ratio: cpuPerDue / (median(cached.cpuMs) / DUE),
      target: 'info: what the orchestrator adds to the calls',
      pass: undefined,
    },
    {
      name: `4. tick of ${due} due: CPU time against wall time (Lambda gives 1 vCPU per 1,769 MB)`,
      measured: `${formatNumber(median(tick.cpuMs) / 1000, 1)} s CPU`,
      baseline: `${formatNumber(median(tick.wallMs) / 1000, 1)} s wall on this machine`,
      ratio: median(tick.cpuMs) / median(tick.wallMs),
      target: 'info',
      pass: undefined,
    },
    {
      name: '4. the same tick without the deployed MALLOC_ARENA_MAX (glibc: one malloc arena per thread)',
      measured: `${mb(arenas.maxRssKb)} peak RSS, ${ms(arenas.cpuMs / DUE)} CPU per due`,
      baseline: `${mb(rss)}, ${ms(cpuPerDue)} as deployed`,
      ratio: arenas.maxRssKb / rss,
      target: 'info: what the one arena saves',
      pass: undefined,
    },
    {
      name: `4. the same tick with the V8 heap capped (${HEAP_CAP.join(' ')})`,
      measured: `${mb(capped.maxRssKb)} peak RSS, ${ms(capped.cpuMs / DUE)} CPU per due`,
      baseline: `${mb(rss)}, ${ms(cpuPerDue)} uncapped`,
      ratio: capped.maxRssKb / rss,
      target: 'info: ≤ 128 MB means the live set fits',
      pass: undefined,
    },
  ];
}
