/**
 * Runs the Serverless Framework (osls) on a private copy of the service, so that `package` and
 * `invoke local` never share `.esbuild/` or `.serverless/` with another test file or a person working in
 * the checkout. The copy holds what a fresh clone needs to build (serverless.yml, package.json,
 * tsconfig.json, functions/, lib/, events/, scripts/) and links node_modules.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oncePerRun } from '#test/integration/support/once-per-run';
import { type CfnTemplate, parseTemplate } from './template-reader';
import { listZipEntries } from './zip-entries';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVERLESS_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'serverless');
const COPIED = ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'lib', 'events', 'scripts'];

/** What CI sets for every Serverless Framework run (.ci/run). */
export const QUIET_ENV = {
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export interface ServerlessRun {
  readonly stdout: string;
  readonly stderr: string;
}

export interface ServiceCopy {
  readonly dir: string;
  /**
   * Runs `serverless <args>` in the copy. Asynchronous on purpose: a local stack serving the child lives in
   * this process, and a synchronous spawn would block it. Rejects with the child's output on failure.
   * `env` replaces this process's environment (the quiet settings are always added).
   */
  serverless(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ServerlessRun>;
  remove(): Promise<void>;
}

export async function copyService(): Promise<ServiceCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'cso-service-'));
  for (const entry of COPIED) await cp(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    serverless: (args, env = process.env) =>
      new Promise((resolve, reject) => {
        execFile(
          SERVERLESS_BIN,
          [...args],
          { cwd: dir, env: { ...env, ...QUIET_ENV }, timeout: 150_000, maxBuffer: 32 << 20 },
          (error, stdout, stderr) => {
            if (error) {
              reject(
                new Error(`serverless ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`),
              );
            } else resolve({ stdout, stderr });
          },
        );
      }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface PackagedService {
  readonly template: CfnTemplate;
  /** The file names inside each package in `.serverless/`, by zip name (`scheduler.zip`). */
  readonly zips: ReadonlyMap<string, readonly string[]>;
}

/**
 * `serverless package` with `--stage` and `--param key=value` options; reads the update-stack template.
 * Packaged once per test run for each set of options (oncePerRun; the first caller packages its copy) and
 * read back by every file that asks for the same: eight files check the default package.
 */
export async function packageService(
  service: ServiceCopy,
  options: { stage?: string; params?: Record<string, string> } = {},
): Promise<PackagedService> {
  const args = ['package', '--stage', options.stage ?? 'dev'];
  for (const [key, value] of Object.entries(options.params ?? {})) args.push('--param', `${key}=${value}`);
  const key = createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 16);
  const folder = await oncePerRun(`package-${key}`, async (into) => {
    await rm(join(service.dir, '.esbuild'), { recursive: true, force: true });
    await rm(join(service.dir, '.serverless'), { recursive: true, force: true });
    await service.serverless(args);
    const serverlessDir = join(service.dir, '.serverless');
    await cp(join(serverlessDir, 'cloudformation-template-update-stack.json'), join(into, 'template.json'));
    const zips: Record<string, string[]> = {};
    for (const name of await readdir(serverlessDir)) {
      if (name.endsWith('.zip')) zips[name] = listZipEntries(await readFile(join(serverlessDir, name)));
    }
    await writeFile(join(into, 'zips.json'), JSON.stringify(zips));
  });
  const template = parseTemplate(await readFile(join(folder, 'template.json'), 'utf8'));
  const zips: Record<string, string[]> = JSON.parse(await readFile(join(folder, 'zips.json'), 'utf8'));
  return { template, zips: new Map(Object.entries(zips)) };
}
