/**
 * Runs scheduler ticks in child processes (tick-child.ts, bundled once with esbuild as the functions are)
 * and SIGKILLs them at chosen points. The child reaches dynalite and the emulator of the parent's local
 * stack through the environment, as a Lambda would reach AWS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_BASE } from '#scripts/bundle-options.mjs';

/** Where the child is stopped and killed. `timed`: killed `afterMs` after it starts its tick. */
export type SnapshotCrashPlan =
  | { readonly kind: 'before-create'; readonly nth: number }
  | { readonly kind: 'after-create'; readonly nth: number }
  | { readonly kind: 'timed'; readonly afterMs: number }
  | { readonly kind: 'none' };

/** Stopped at the Nth scratch cache Create (before or after the call) or Delete (after it). */
export interface RestoreTestCrashPlan {
  readonly kind: 'before-create-cache' | 'after-create-cache' | 'after-delete-cache';
  readonly nth: number;
}

export type CrashPlan = SnapshotCrashPlan | RestoreTestCrashPlan;

export interface ChildOutcome {
  /** `killed` at the plan's point, or `finished` (the point never came: fewer Creates than `nth`, say). */
  readonly ending: 'killed' | 'finished';
  /** The hold line the child printed before it was killed, if any. */
  readonly held: string | undefined;
}

export interface ChildTicks {
  /** Runs one tick at `at` in a child, killed as `plan` says; `onReady` is called as the child starts its tick. */
  run(
    at: Date,
    plan: CrashPlan,
    env: Readonly<Record<string, string>>,
    onReady?: () => void,
  ): Promise<ChildOutcome>;
  dispose(): void;
}

const CHILD_TIMEOUT_MS = 30_000;

/** Bundles the child script once; `dispose` removes the bundle. */
export async function prepareChildTicks(): Promise<ChildTicks> {
  const dir = mkdtempSync(join(tmpdir(), 'tick-child-'));
  const bundle = join(dir, 'tick-child.cjs');
  await build({
    ...BUNDLE_BASE,
    target: 'node20',
    entryPoints: [join(import.meta.dirname, 'tick-child.ts')],
    outfile: bundle,
  });
  return {
    run: (at, plan, env, onReady) => runChild(bundle, at, plan, env, onReady),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function runChild(
  bundle: string,
  at: Date,
  plan: CrashPlan,
  env: Readonly<Record<string, string>>,
  onReady: (() => void) | undefined,
): Promise<ChildOutcome> {
  const args = [bundle, at.toISOString()];
  if ('nth' in plan) args.push(plan.kind, String(plan.nth));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let held: string | undefined;
  let killedOnPurpose = false;
  let stdout = '';
  let stderr = '';
  const kill = () => {
    killedOnPurpose = true;
    child.kill('SIGKILL');
  };
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (;;) {
      const end = stdout.indexOf('\n');
      if (end < 0) break;
      const line = stdout.slice(0, end);
      stdout = stdout.slice(end + 1);
      if (line === 'READY' && plan.kind === 'timed') setTimeout(kill, plan.afterMs);
      if (line === 'READY') onReady?.();
      if (line.startsWith('HOLD ')) {
        held = line;
        kill();
      }
    }
  });
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tick child at ${at.toISOString()} did not end within ${CHILD_TIMEOUT_MS} ms`));
    }, CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL' && killedOnPurpose) resolve({ ending: 'killed', held });
      else if (code === 0) resolve({ ending: 'finished', held });
      else reject(new Error(`tick child at ${at.toISOString()} failed (${signal ?? code}): ${stderr}`));
    });
  });
}
