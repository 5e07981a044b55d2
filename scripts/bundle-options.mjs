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

/** A Lambda function's bundle, as serverless.yml has serverless-esbuild make it: minified, source maps. */
export const FUNCTION_BUNDLE = { ...BUNDLE_BASE, minify: true, sourcemap: true, target: 'node22' };
