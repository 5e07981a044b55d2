/**
 * Setup of the test projects that run files one after another in a shared worker (`isolate: false` in
 * vitest.config.ts): a fresh process per file cost more than most files' tests (the SDK and lib/ loaded
 * again each time). What one file changes in its process is undone when it ends, as a new process would:
 * the environment (a Simulation or `npm start -- --serve` writes the stack's endpoints into it), stubbed
 * environment variables and globals, spies, and fake timers. Module state is shared, and lib/'s module
 * state is memoisation only; module mocks (`vi.mock`) would outlive the file, so they are refused here:
 * a file that mocks modules belongs in the `unit-isolated` project (vitest.config.ts, MOCKS_MODULES).
 */
import { afterAll, vi } from 'vitest';

const refuseModuleMocks = () => {
  throw new Error(
    'vi.mock/vi.doMock in a project whose files share a worker: the mock would reach later files. ' +
      'Add this file to MOCKS_MODULES in vitest.config.ts (it then runs in its own process).',
  );
};
Object.assign(vi, { mock: refuseModuleMocks, doMock: refuseModuleMocks });

const environment = { ...process.env };

afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  for (const name of Object.keys(process.env)) {
    if (!(name in environment)) delete process.env[name];
  }
  Object.assign(process.env, environment);
});
