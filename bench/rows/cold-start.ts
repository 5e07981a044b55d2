import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { deployedNodeFlags, ROOT, timeFreshProcess, timeRequire } from '#bench/support/node-process';
import { formatNumber, median } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import {
  buildSchedulerLazyAndEager,
  buildUnbundled,
  emptyScript,
  functionNames,
} from '#bench/support/variants';

const RUNS = 15;

const kb = (bytes: number) => `${formatNumber(bytes / 1024)} KB`;

/** esbuild's metafile of the functions' build (scripts/build.mjs writes it beside them). */
interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }>;
}

/** Bytes of the source files a bundle was made from, as the build's metafile lists them. */
function sourceBytes(meta: Metafile, name: string): { bytes: number; files: number } {
  const inputs = Object.keys(meta.outputs[`dist/functions/${name}.cjs`]?.inputs ?? {});
  const files = inputs.map((input) => resolve(ROOT, input)).filter(existsSync);
  return { bytes: files.reduce((sum, file) => sum + statSync(file).size, 0), files: files.length };
}

/** Median wall time of RUNS fresh processes per file, the files taken in turn each round (noise hits all alike). */
function medianStarts(
  files: Readonly<Record<string, string>>,
  flags: readonly string[],
): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((key) => [key, []]));
  for (let round = 0; round < RUNS; round += 1) {
    for (const [key, file] of Object.entries(files)) times[key]?.push(timeFreshProcess(file, flags));
  }
  return Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)]));
}

/**
 * Row 3: per function, the bundle's size against its sources, and its module init (a fresh Node process
 * loading it, minus a bare Node start) against the same code loaded unbundled from node_modules; then
 * the scheduler with the ElastiCache client loaded lazily against the same bundle loading it eagerly.
 * Node runs with the deployed NODE_OPTIONS. Expects `npm run build` to have written dist/functions.
 */
export async function measureColdStart(): Promise<Row[]> {
  const names = functionNames();
  const unbundled = await buildUnbundled();
  const variants = await buildSchedulerLazyAndEager();
  const files: Record<string, string> = { bare: emptyScript(), lazy: variants.lazy, eager: variants.eager };
  for (const name of names) {
    files[`bundled:${name}`] = `${ROOT}dist/functions/${name}.cjs`;
    files[`unbundled:${name}`] = unbundled[name] as string;
  }
  const flags = deployedNodeFlags();
  const starts = medianStarts(files, flags);
  const plain = medianStarts(
    { bare: files.bare as string, scheduler: files['bundled:scheduler'] as string },
    [],
  );
  const bare = starts.bare ?? 0;
  const overhead = (key: string) => (starts[key] ?? Number.NaN) - bare;
  const plainOverhead = (plain.scheduler ?? Number.NaN) - (plain.bare ?? 0);
  const meta = JSON.parse(readFileSync(`${ROOT}dist/functions.meta.json`, 'utf8')) as Metafile;
  const rows: Row[] = [];
  for (const name of names) {
    const bundle = `${ROOT}dist/functions/${name}.cjs`;
    const sources = sourceBytes(meta, name);
    const size = statSync(bundle).size;
    rows.push({
      name: `3. cold start ${name}: bundle size (the S3 client in a file beside it, loaded on first use)`,
      measured: `${kb(size)} (+ ${kb(statSync(`${bundle}.map`).size)} map of our code)`,
      baseline: `${kb(sources.bytes)} in ${sources.files} source files`,
      ratio: size / sources.bytes,
      target: 'info',
      pass: undefined,
    });
    const ratio = overhead(`bundled:${name}`) / overhead(`unbundled:${name}`);
    rows.push({
      name: `3. cold start ${name}: module init (fresh process − bare Node ${formatNumber(bare)} ms)`,
      measured: `${formatNumber(overhead(`bundled:${name}`))} ms bundled`,
      baseline: `${formatNumber(overhead(`unbundled:${name}`))} ms unbundled (ESM from node_modules)`,
      ratio,
      target: '≤ 0.5',
      pass: ratio <= 0.5,
    });
  }
  const requires = { lazy: [] as number[], eager: [] as number[] };
  for (let round = 0; round < RUNS; round += 1) {
    requires.lazy.push(timeRequire(variants.lazy, flags));
    requires.eager.push(timeRequire(variants.eager, flags));
  }
  const lazy = median(requires.lazy);
  const eager = median(requires.eager);
  rows.push({
    name: '3. cold start scheduler: ElastiCache client loaded lazily (a tick with nothing due never loads it), require() time',
    measured: `${formatNumber(lazy)} ms lazy (${formatNumber(overhead('lazy'))} ms process)`,
    baseline: `${formatNumber(eager)} ms eager (${formatNumber(overhead('eager'))} ms process; adapter imported statically)`,
    ratio: lazy / eager,
    target: 'info: < 1',
    pass: undefined,
  });
  rows.push({
    name: `3. cold start scheduler: module init without NODE_OPTIONS ${flags.join(' ')}`,
    measured: `${formatNumber(plainOverhead)} ms`,
    baseline: `${formatNumber(overhead('bundled:scheduler'))} ms with it (as deployed)`,
    ratio: plainOverhead / overhead('bundled:scheduler'),
    target: 'info',
    pass: undefined,
  });
  return rows;
}
