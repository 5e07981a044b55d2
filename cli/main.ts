import './interactive-env';
import { buildProgram } from './program';

/** Writes an error as one `error:` line per line of its message; the stack only with --verbose. */
function reportError(error: unknown, verbose: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => `cache-snapshots: error: ${line}\n`);
  process.stderr.write(lines.join(''));
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
}

/** Runs the command line; any error ends the process with exit code 1. */
async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    reportError(error, program.opts<{ verbose?: boolean }>().verbose === true);
    process.exitCode = 1;
  }
}

void main(process.argv);
