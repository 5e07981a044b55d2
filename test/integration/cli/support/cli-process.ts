import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CLI_BUNDLE } from '#scripts/bundle-options.mjs';

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
  remove(): void;
}

/**
 * Bundles cli/main.ts with esbuild as scripts/build.mjs does for dist/cli.cjs (CLI_BUNDLE: minified, with
 * its source map), into `dist/` of a temporary folder rather than the repository's dist/, which other work
 * may be using, beside a copy of bin/cache-snapshots.cjs that runs it: the command as the package ships it.
 * The child runs asynchronously: the local stack it talks to lives in the test process and must keep answering.
 */
export async function bundleCli(): Promise<CliBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'cache-snapshots-cli-'));
  const bin = join(dir, 'bin', 'cache-snapshots.cjs');
  await build({ ...CLI_BUNDLE, entryPoints: ['cli/main.ts'], outfile: join(dir, 'dist', 'cli.cjs') });
  mkdirSync(join(dir, 'bin'));
  copyFileSync('bin/cache-snapshots.cjs', bin);
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
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
