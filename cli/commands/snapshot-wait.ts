import { randomUUID } from 'node:crypto';
import { CliError } from '#cli/errors';
import { formatDuration } from '#cli/format';
import { realSleep, type Sleep } from '#lib/clock';
import { trackCompletions } from '#lib/lifecycle/completion';
import { hasTimeLeft } from '#lib/lifecycle/deps';
import type { RunKey, RunRecord } from '#lib/runs/types';
import { TERMINAL_STATUSES } from '#lib/runs/types';
import type { SchedulerDeps } from '#lib/scheduler/deps';
import { pruneAfterCompletion } from '#lib/scheduler/tick';

/** How `--wait` polls: every `pollMs`, for at most `timeoutMs`, telling `report` of each look. */
export interface WaitOptions {
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly report: (run: RunRecord, elapsedMs: number) => void;
}

/**
 * Follows one run until it is AVAILABLE or ended (FAILED, …). A REQUESTED run is checked with the tick's
 * own completion pass (trackCompletions: the same listing, rules and conditional write, so a tick doing
 * the same at the same moment changes nothing twice), and once AVAILABLE the policy's retention runs, as
 * a tick does after a completion; a durable retry waits for the tick that takes it up.
 * Past `timeoutMs` it throws a CliError and leaves the run to the scheduler.
 */
export async function waitForRun(
  deps: SchedulerDeps,
  key: RunKey,
  options: WaitOptions,
  sleep: Sleep = realSleep,
  now: () => number = Date.now,
): Promise<RunRecord> {
  const start = now();
  // The lease owner of any export this command's completion pass starts, as a tick's id would be.
  const owner = `cli-${randomUUID()}`;
  for (;;) {
    let run = await deps.runs.get(key);
    if (run?.status === 'REQUESTED') {
      const { completed } = await trackCompletions(deps, [run]);
      await pruneAfterCompletion(deps, completed, () => hasTimeLeft(deps), owner);
      run = await deps.runs.get(key);
    }
    if (!run) throw new CliError(`run ${key.policyId}/${key.cacheName}/${key.slot} is gone`);
    const elapsedMs = now() - start;
    options.report(run, elapsedMs);
    if (run.status === 'AVAILABLE' || TERMINAL_STATUSES.has(run.status)) return run;
    if (elapsedMs >= options.timeoutMs) {
      throw new CliError(
        `snapshot ${run.snapshotName} is still ${run.status} after ${formatDuration(elapsedMs)}; the scheduler goes on with it`,
      );
    }
    await sleep(options.pollMs);
  }
}
