#!/usr/bin/env node
// The `cache-snapshots` command: runs the CLI bundle (cli/main.ts) that `npm ci` builds into dist/ through
// the `prepare` script (scripts/build.mjs). After changing cli/ or lib/, `npm run build` refreshes it.
try {
  require.resolve('../dist/cli.cjs');
} catch {
  process.stderr.write('cache-snapshots: error: dist/cli.cjs is missing; run `npm run build` first\n');
  process.exit(1);
}
// Before the bundle loads: its stack traces (printed with --verbose) then name cli/ and lib/ source files
// through dist/cli.cjs.map, which the build writes beside it.
process.setSourceMapsEnabled(true);
require('../dist/cli.cjs');
