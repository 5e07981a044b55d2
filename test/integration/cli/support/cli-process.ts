import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CLI_BUNDLE } from '#scripts/bundle-options.mjs';
import { oncePerRun } from '#test/integration/support/once-per-run';

/** What a CLI process did. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A bundle of cli/main.ts like the one `npm ci` builds for the `cache-snapshots` bin, and a way to run it. */
export interface CliBundle {
  /** Runs `cache-snapshots <args>` as a child process with exactly `env`, and `input` on stdin. */
  run(
    args: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    input?: string,
  ): Promise<CliResult>;
}

/**
 * Bundles cli/main.ts with esbuild as scripts/build.mjs does for dist/cli.cjs (CLI_BUNDLE: minified, with
 * its source map), into `dist/` of a temporary folder rather than the repository's dist/, which other work
 * may be using, beside a copy of bin/cache-snapshots.cjs that runs it: the command as the package ships it.
 * Built once per test run (oncePerRun) and shared by every file: the sources do not change during a run.
 * The child runs asynchronously: the local stack it talks to lives in the test process and must keep answering.
 */
export async function bundleCli(): Promise<CliBundle> {
  const dir = await oncePerRun('cli-bundle', async (folder) => {
    await build({ ...CLI_BUNDLE, entryPoints: ['cli/main.ts'], outfile: join(folder, 'dist', 'cli.cjs') });
    await mkdir(join(folder, 'bin'));
    await copyFile('bin/cache-snapshots.cjs', join(folder, 'bin', 'cache-snapshots.cjs'));
  });
  const bin = join(dir, 'bin', 'cache-snapshots.cjs');
  return {
    run: (args, env, input) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { env: { ...env }, stdio: 'pipe' });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(input ?? '');
      }),
  };
}
