import { type LocalStack, startLocalStack } from '#local/stack';
import { bundleCli, type CliResult } from './cli-process';

/** A local stack whose emulator clock the test sets, and the CLI pointed at it through `stack.env`. */
export interface CliFixture {
  readonly stack: LocalStack;
  /** The emulator's clock (the CLI's own clock is real time, or `tick --at`). */
  setEmulatorTime(at: Date): void;
  /** Runs the CLI against the stack; `extraEnv` adds or (with undefined) removes variables. */
  cli(
    args: readonly string[],
    input?: string,
    extraEnv?: Record<string, string | undefined>,
  ): Promise<CliResult>;
  /** Runs the CLI with `--json` and parses stdout; fails the test on a non-zero exit. */
  cliJson<T>(args: readonly string[]): Promise<T>;
  stop(): Promise<void>;
}

export async function startCliFixture(caches: readonly string[]): Promise<CliFixture> {
  let emulatorTime = new Date();
  const [stack, bundle] = await Promise.all([
    startLocalStack({ emulator: { clock: () => emulatorTime } }),
    bundleCli(),
  ]);
  for (const name of caches) stack.emulator.seedCache({ name });
  const cli = (args: readonly string[], input?: string, extraEnv: Record<string, string | undefined> = {}) =>
    bundle.run(args, { ...process.env, ...stack.env, ...extraEnv }, input);
  return {
    stack,
    setEmulatorTime(at) {
      emulatorTime = at;
    },
    cli,
    async cliJson<T>(args: readonly string[]) {
      const result = await cli(['--json', ...args]);
      if (result.code !== 0) throw new Error(`cache-snapshots ${args.join(' ')} failed: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    async stop() {
      await stack.stop();
    },
  };
}
