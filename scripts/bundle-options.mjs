// The esbuild options every bundle of this project shares (the build, the bench, and the tests that run
// code as a separate process): CommonJS for Node, packages resolved as serverless-esbuild resolves them.
import plugins from './esbuild-plugins.cjs';

/** What every bundle has in common; add a `target` (and an output). */
export const BUNDLE_BASE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

/**
 * Minified, source maps with the mappings only (no `sourcesContent`): `--enable-source-maps` parses the map at
 * load, and the sources inlined made it 3.9 MB instead of 1.4 MB, about 8 MB more RSS and a slower init for
 * nothing a stack trace uses.
 */
const MINIFIED = {
  ...BUNDLE_BASE,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
};

/**
 * A Lambda function's bundle, as serverless.yml has serverless-esbuild make it: minified, the packages few
 * invocations use (the S3 client) in files of their own beside the bundle, loaded on first use
 * (scripts/lazy-packages.cjs), and its source map holding the mappings into our own code only
 * (scripts/own-source-maps.cjs). serverless-esbuild gets the same plugins from scripts/esbuild-plugins.cjs.
 */
export const FUNCTION_BUNDLE = {
  ...MINIFIED,
  target: 'node22',
  plugins: plugins(),
};

/**
 * The operator CLI's bundle (dist/cli.cjs, run by bin/cache-snapshots.cjs), as the build and the CLI tests
 * make it: minified as a function's but in one file, for the oldest Node.js the package supports, with its
 * whole source map beside it (the bin enables source maps, so a stack trace names cli/ and lib/ files).
 */
export const CLI_BUNDLE = { ...MINIFIED, target: 'node20' };
