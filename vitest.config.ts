import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const env = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/**
 * Files run one after another in a worker that keeps its loaded modules (`isolate: false`): a new process
 * per file spent more time loading the SDK and lib/ than most files spend testing. test/support/shared-worker.ts
 * undoes what a file changed in the process (environment, spies, stubs, timers) when the file ends.
 */
const sharedWorker = { isolate: false, setupFiles: ['test/support/shared-worker.ts'] };
/** The same for files that boot local stacks: any a file left running (it timed out) is stopped when it ends. */
const sharedWorkerWithStacks = {
  isolate: false,
  setupFiles: ['test/support/shared-worker.ts', 'test/support/stop-stacks.ts'],
};

/** Unit test files that mock modules (`vi.mock`): a mock would reach later files of a shared worker. */
const MOCKS_MODULES = ['test/unit/functions/policy-sync.test.ts'];

export default defineConfig({
  test: {
    env,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: MOCKS_MODULES, ...sharedWorker },
      },
      { extends: true, test: { name: 'unit-isolated', include: MOCKS_MODULES } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          // Fixtures bundle the CLI (as it ships: minified, with its source map) and boot a local stack.
          hookTimeout: 60_000,
          // A folder for what is built once per run and shared by the files (the CLI bundle, packages).
          globalSetup: ['test/integration/support/run-folder.ts'],
          // Vitest's default on 2 cores is one worker, which leaves a core idle while a file waits on its
          // child processes (the CLI, serverless) or its local stack: two files at a time use both.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          ...sharedWorkerWithStacks,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Isolated still: eight long files, whose start-up is a small part of their time.
        },
      },
    ],
  },
});
