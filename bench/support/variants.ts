import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { FUNCTION_BUNDLE } from '#scripts/bundle-options.mjs';
import { ROOT } from './node-process';

/** Where the bench writes the code it builds: inside node_modules, so that packages resolve from there. */
export const OUT = `${ROOT}node_modules/.cache/bench/`;

/** The options scripts/build.mjs bundles the functions with (one minified CommonJS file each). */
const BUNDLED: BuildOptions = FUNCTION_BUNDLE;

/** The function entry points, by name (`scheduler`, `policy-sync`, …). */
export function functionNames(): string[] {
  return readdirSync(`${ROOT}functions`)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => basename(file, '.ts'));
}

/** An empty script: what a bare Node start runs. */
export function emptyScript(): string {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}empty.cjs`, '');
  return `${OUT}empty.cjs`;
}

/**
 * Each function's own code compiled to ESM with every package left external: the same code loaded
 * unbundled from node_modules, as a deployment without a bundler would. Returns paths by function name.
 */
export async function buildUnbundled(): Promise<Record<string, string>> {
  const names = functionNames();
  await build({
    entryPoints: names.map((name) => `${ROOT}functions/${name}.ts`),
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outdir: `${OUT}unbundled`,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return Object.fromEntries(names.map((name) => [name, `${OUT}unbundled/${name}.mjs`]));
}

/**
 * The scheduler bundled twice with the deployed options: as it is (the ElastiCache adapter behind a dynamic
 * import) and with the adapter also imported statically, i.e. evaluated at load as before lazy loading.
 */
export async function buildSchedulerLazyAndEager(): Promise<{ lazy: string; eager: string }> {
  const lazy = `${OUT}lazy/scheduler.cjs`;
  const eager = `${OUT}eager/scheduler.cjs`;
  await build({ ...BUNDLED, entryPoints: [`${ROOT}functions/scheduler.ts`], outfile: lazy });
  await build({
    ...BUNDLED,
    stdin: {
      contents:
        "export * from './functions/scheduler';\nimport './lib/adapters/elasticache/snapshot-gateway';\n",
      resolveDir: ROOT,
      loader: 'ts',
      sourcefile: 'eager-scheduler.ts',
    },
    outfile: eager,
  });
  return { lazy, eager };
}
