/**
 * globalSetup of the integration project: one temporary folder per test run, shared by the run's workers
 * through `inject('runFolder')` and removed when the run ends. once-per-run.ts keeps there what several
 * files would otherwise each build (the CLI bundle, the packaged service).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's temporary folder (test/integration/support/run-folder.ts). */
    runFolder: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), 'cso-test-run-'));
  project.provide('runFolder', folder);
  return () => rm(folder, { recursive: true, force: true });
}
