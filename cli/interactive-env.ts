import { Console } from 'node:console';

/**
 * What the orchestrator's observability reads from the environment as its modules load, set for a process a
 * person runs (the CLI, `npm start`). Imported first by those entry points, before anything from lib/.
 * stdout stays for the command's own output: the Powertools Logger logs only warnings and errors (which it
 * writes to stderr) unless `--verbose` is on the command line, and EMF metrics (written to stdout) are off.
 * With `--verbose` the Logger also writes INFO and DEBUG lines, which it would put on stdout, mixed into a
 * table or `--json` output: so it is pointed at the global console (POWERTOOLS_DEV, which also indents the
 * JSON for reading), and the global console at stderr. The AWS SDK's notice about Node.js versions is left
 * out unless the environment asks for it.
 */
const verbose = process.argv.includes('--verbose');
process.env.POWERTOOLS_LOG_LEVEL = verbose ? 'DEBUG' : 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (verbose) {
  process.env.POWERTOOLS_DEV = 'true';
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
}
