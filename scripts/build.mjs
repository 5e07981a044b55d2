// Bundles every Lambda handler (functions/*.ts) and the operator CLI into dist/, with the same esbuild
// settings serverless.yml gives serverless-esbuild: one minified CommonJS bundle per entry, source maps.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
  metafile: true,
};

rmSync('dist', { recursive: true, force: true });
const functions = readdirSync('functions').filter((file) => file.endsWith('.ts'));
await build({
  ...common,
  entryPoints: functions.map((file) => `functions/${file}`),
  outdir: 'dist/functions',
});
const cli = readdirSync('cli', { withFileTypes: true }).some((entry) => entry.name === 'main.ts');
if (cli) {
  await build({ ...common, target: 'node20', entryPoints: ['cli/main.ts'], outfile: 'dist/cli.cjs' });
}
console.log(`built ${functions.length} functions${cli ? ' and the CLI' : ''} into dist/`);
