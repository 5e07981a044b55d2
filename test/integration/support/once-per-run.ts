import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

const POLL_MS = 100;
const WAIT_MS = 180_000;
const built = new Map<string, Promise<string>>();
let ownFolder: Promise<string> | undefined;

/** The run's folder (run-folder.ts), or, outside the integration project, a folder of this process. */
function runFolder(): Promise<string> {
  const provided = inject('runFolder');
  if (provided) return Promise.resolve(provided);
  ownFolder ??= mkdtemp(join(tmpdir(), 'cso-test-process-'));
  return ownFolder;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Waits until another worker has built `ready`, or rethrows what its build failed with. */
async function awaitOtherWorker(ready: string, failed: string): Promise<string> {
  for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await sleep(POLL_MS)) {
    if (await exists(ready)) return ready;
    if (await exists(failed)) throw new Error(await readFile(failed, 'utf8'));
  }
  throw new Error(`${ready} was not built within ${WAIT_MS / 1000} s by the worker building it`);
}

async function buildOrAwait(key: string, build: (folder: string) => Promise<void>): Promise<string> {
  const root = await runFolder();
  const ready = join(root, key);
  const building = `${ready}.building`;
  const failed = `${ready}.failed`;
  if (await exists(ready)) return ready;
  try {
    await mkdir(building);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return awaitOtherWorker(ready, failed);
  }
  try {
    await build(building);
    await rename(building, ready);
    return ready;
  } catch (error) {
    await writeFile(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
    await rm(building, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A folder that `build` fills once per test run and every file then reads: the first caller in the run
 * builds it (into a folder of its own, renamed when complete), callers in other workers wait for it, and a
 * failed build fails them all with its error. `key` names what is built, options included. The sources
 * must not change during the run (they do not: tests read the checkout, never write it).
 */
export function oncePerRun(key: string, build: (folder: string) => Promise<void>): Promise<string> {
  let folder = built.get(key);
  if (!folder) {
    folder = buildOrAwait(key, build);
    built.set(key, folder);
  }
  return folder;
}
