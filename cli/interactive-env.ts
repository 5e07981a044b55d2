/**
 * What the orchestrator's observability reads from the environment as its modules load, set for a process a
 * person runs (the CLI, `npm start`). Imported first by those entry points, before anything from lib/.
 * stdout stays for the command's own output: the Powertools Logger logs only warnings and errors (which it
 * writes to stderr) unless `--verbose` is on the command line, and EMF metrics (written to stdout) are off.
 * The AWS SDK's notice about Node.js versions is left out unless the environment asks for it.
 */
const verbose = process.argv.includes('--verbose');
process.env.POWERTOOLS_LOG_LEVEL = verbose ? 'DEBUG' : 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
