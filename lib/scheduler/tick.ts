import { randomUUID } from 'node:crypto';
import { toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { followExports } from '#lib/exports/advance-export';
import { startExports } from '#lib/exports/start-exports';
import { trackCompletions } from '#lib/lifecycle/completion';
import { hasTimeLeft } from '#lib/lifecycle/deps';
import { applyRetention } from '#lib/lifecycle/retention';
import { retryPrunes } from '#lib/lifecycle/snapshot-deletion';
import { logger } from '#lib/observability';
import { followRestoreTests } from '#lib/restore-tests/follow-restore-tests';
import { runKeyOf } from '#lib/runs/run-key';
import type { RunRecord } from '#lib/runs/types';
import type { SchedulerDeps, WorkItem } from './deps';
import { dispatch } from './dispatch';
import { loadUsablePolicy } from './load-policy';
import { resumeRuns } from './resume-runs';
import { takeDueSlots } from './take-due-slots';

export interface TickInput {
  /** The scheduled time of the tick (the EventBridge event's `time`): due-ness is evaluated at it. */
  readonly at: Date;
  /** The event id; with a random part it names the tick's claims. */
  readonly tickId: string;
}

/** What one tick did: the open runs it looked at, the runs it claimed, and the records it wrote by status. */
export interface TickSummary {
  readonly at: string;
  readonly openRuns: number;
  readonly claimed: number;
  readonly outcomes: Readonly<Partial<Record<RunRecord['status'], number>>>;
}

async function loadOpenRuns(deps: SchedulerDeps, at: Date) {
  const open = {
    requested: [] as RunRecord[],
    pruning: [] as RunRecord[],
    resumable: [] as RunRecord[],
    exporting: [] as RunRecord[],
  };
  for await (const run of deps.runs.listOpen(toIso(at))) {
    if (run.status === 'REQUESTED') open.requested.push(run);
    else if (run.status === 'PRUNING') open.pruning.push(run);
    else if (run.status === 'AVAILABLE') open.exporting.push(run);
    else open.resumable.push(run);
  }
  return open;
}

function uniqueByRun(items: readonly WorkItem[]): WorkItem[] {
  return [...new Map(items.map((item) => [`${item.run.policyId}|${runKeyOf(item.run)}`, item])).values()];
}

/**
 * Exports (lib/exports) and retention for the policies with new snapshots, with one read of each policy,
 * several at a time like every other phase, none started within the deadline margin: a policy left out is
 * pruned after its next snapshot (retention only lags). Exports come first: retention keeps a snapshot
 * whose export is in flight.
 */
export async function pruneAfterCompletion(
  deps: SchedulerDeps,
  completed: readonly RunRecord[],
  timeLeft: () => boolean,
  owner: string,
): Promise<void> {
  const policyIds = [...new Set(completed.map((run) => run.policyId))];
  const { notStarted } = await runBounded(
    policyIds,
    deps.settings.concurrency,
    async (policyId) => {
      try {
        const policy = await loadUsablePolicy(deps, policyId);
        if (typeof policy === 'string') return;
        if (policy.export && deps.exports) {
          const runs = completed.filter((run) => run.policyId === policyId);
          await startExports({ ...deps, exports: deps.exports }, policy, runs, owner);
        }
        await applyRetention(deps, policy);
      } catch (error) {
        logger.error('retention failed; it runs again after the next snapshot', { policyId, error });
      }
    },
    timeLeft,
  );
  if (notStarted.length > 0) {
    logger.warn('out of time: retention left for these policies’ next snapshots', { policyIds: notStarted });
  }
}

/**
 * One scheduler tick at `input.at`: completion of requested snapshots, retries and abandoned claims that
 * are due, the due policies' latest slots, then CreateServerlessCacheSnapshot for every claimed run, and
 * retention for policies with new snapshots. Replayable: the same event twice is the same tick and does
 * nothing twice. No single policy's failure fails the tick.
 */
export async function runTick(deps: SchedulerDeps, input: TickInput): Promise<TickSummary> {
  try {
    return await tickPhases(deps, input);
  } catch (error) {
    // Only a store failure in the tick's own listings gets here (each policy's failure is handled in
    // place); nothing is lost, the next tick lists the same work again. Logged here, then the invocation fails.
    logger.error('tick failed before finishing; the next tick takes up the same work', {
      at: toIso(input.at),
      error,
    });
    throw error;
  } finally {
    await publishEvents(deps);
  }
}

/**
 * The tick's state-change events out (docs/architecture.md, "Events"), also after a failed tick (its
 * records are written): a bounded wait that never fails the tick; what did not go out is logged and
 * counted by the publisher.
 */
export async function publishEvents(deps: SchedulerDeps): Promise<void> {
  if (!deps.events) return;
  const report = await deps.events.flush(deps.remainingMs());
  if (report.published + report.notPublished > 0) logger.info('events published', { ...report });
}

/** The exports in flight that are due (lib/exports); without S3 in the tick's dependencies, a warning. */
async function followExportsInFlight(deps: SchedulerDeps, runs: readonly RunRecord[], owner: string) {
  if (runs.length === 0) return;
  if (deps.exports) await followExports({ ...deps, exports: deps.exports }, runs, owner);
  else logger.warn('exports in flight but no S3 in this tick; they wait', { runs: runs.length });
}

/**
 * The restore tests in flight one step on (lib/restore-tests), when the tick has them and time is left: the
 * last phase, so snapshots come first; tests not looked at are listed again by the next tick.
 */
async function followOpenRestoreTests(deps: SchedulerDeps, at: Date): Promise<void> {
  if (!deps.restoreTests) return;
  if (!hasTimeLeft(deps)) {
    logger.warn('out of time: restore tests left for the next tick');
    return;
  }
  const { store, deployment } = deps.restoreTests;
  // Each test in its own account and region (advanceRestoreTest picks the placement of the record).
  await followRestoreTests({ ...deps, restoreTests: store, deployment }, at);
}

async function tickPhases(deps: SchedulerDeps, input: TickInput): Promise<TickSummary> {
  const outcomes: Partial<Record<RunRecord['status'], number>> = {};
  const tick: SchedulerDeps = {
    ...deps,
    observe: (run) => {
      outcomes[run.status] = (outcomes[run.status] ?? 0) + 1;
      deps.observe?.(run);
    },
  };
  const owner = `${input.tickId}/${randomUUID()}`;
  const open = await loadOpenRuns(tick, input.at);
  const completion = await trackCompletions(tick, open.requested);
  const resumed = await resumeRuns(tick, open.resumable, owner);
  const fresh = await takeDueSlots(tick, input.at, owner);
  const items = uniqueByRun([...resumed, ...fresh]);
  await dispatch(tick, items, completion.busyCaches);
  await retryPrunes(tick, open.pruning);
  await followExportsInFlight(tick, open.exporting, owner);
  await pruneAfterCompletion(tick, completion.completed, () => hasTimeLeft(tick), owner);
  await followOpenRestoreTests(tick, input.at);
  const openRuns = Object.values(open).reduce((count, runs) => count + runs.length, 0);
  const summary: TickSummary = { at: toIso(input.at), openRuns, claimed: items.length, outcomes };
  logger.info('tick finished', { ...summary });
  return summary;
}
