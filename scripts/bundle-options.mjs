// The esbuild options every bundle of this project shares (the build, the bench, and the tests that run
// code as a separate process): CommonJS for Node, packages resolved as serverless-esbuild resolves them.

/** What every bundle has in common; add a `target` (and an output). */
export const BUNDLE_BASE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

/**
 * A Lambda function's bundle, as serverless.yml has serverless-esbuild make it: minified, source maps with
 * the mappings only (no `sourcesContent`): `--enable-source-maps` parses the map at load, and the sources
 * inlined made it 3.9 MB instead of 1.4 MB, about 8 MB more RSS and a slower init for nothing a stack trace uses.
 */
export const FUNCTION_BUNDLE = {
  ...BUNDLE_BASE,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  target: 'node22',
};

/**
 * The operator CLI's bundle (dist/cli.cjs, run by bin/cache-snapshots.cjs), as the build and the CLI tests
 * make it: a function bundle for the oldest Node.js the package supports, with its source map beside it
 * (the bin enables source maps, so a stack trace names cli/ and lib/ files).
 */
export const CLI_BUNDLE = { ...FUNCTION_BUNDLE, target: 'node20' };
