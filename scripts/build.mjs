// Bundles every Lambda handler (functions/*.ts) and the operator CLI into dist/, with the same esbuild
// settings serverless.yml gives serverless-esbuild: one minified CommonJS bundle per entry, source maps.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { CLI_BUNDLE, FUNCTION_BUNDLE } from './bundle-options.mjs';

const common = { ...FUNCTION_BUNDLE, outExtension: { '.js': '.cjs' }, metafile: true };

rmSync('dist', { recursive: true, force: true });
const functions = readdirSync('functions').filter((file) => file.endsWith('.ts'));
const bundled = await build({
  ...common,
  entryPoints: functions.map((file) => `functions/${file}`),
  outdir: 'dist/functions',
});
// Which sources each bundle holds (esbuild's metafile), for the bench's bundle-size row.
writeFileSync('dist/functions.meta.json', JSON.stringify(bundled.metafile));
const cli = readdirSync('cli', { withFileTypes: true }).some((entry) => entry.name === 'main.ts');
if (cli) {
  await build({ ...CLI_BUNDLE, metafile: true, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.cjs' });
}
console.log(`built ${functions.length} functions${cli ? ' and the CLI' : ''} into dist/`);
