import type { Clock } from '#lib/clock';
import { toIso } from '#lib/clock';
import { ConditionalWriteError } from '#lib/errors';
import { logger } from '#lib/observability';
import type { TargetStore } from '#lib/targets/target-store';
import { reportExportOutcome, reportOutcome, runFields } from './report-outcome';
import type { RunEventSink } from './run-events';
import type { RunStore } from './run-store';
import { newestSnapshotOf } from './snapshot-summary';
import type { RunRecord, RunStatus } from './types';

/** What writing a run record touches: the runs, its target's summaries, the clock, an observer and the events. */
export interface SaveRunDeps {
  readonly runs: Pick<RunStore, 'create' | 'transition'>;
  /** Where each target's summaries live (a cacheName policy's item, or its targets-table item). */
  readonly targets: Pick<TargetStore, 'recordSummaries'>;
  readonly clock: Clock;
  /** Told of every run record written (after the write), e.g. to count a tick's outcomes. */
  readonly observe?: (run: RunRecord) => void;
  /** Told of every run record written, to publish its status change (none: nothing is published). */
  readonly events?: RunEventSink;
}

/** Statuses worth keeping as the policy's "last run" summary (not the internal CLAIMED/PRUNING steps). */
const SUMMARY_STATUSES: ReadonlySet<RunStatus> = new Set([
  'REQUESTED',
  'RETRYING',
  'AVAILABLE',
  'FAILED',
  'MISSED',
  'SKIPPED',
  'GONE',
]);

/**
 * Records `run` as its target's last run and, when AVAILABLE, as its newest snapshot, in one write (the
 * target's state, wherever it lives). A failure is logged and not thrown: the run record itself is written,
 * only the summaries are behind.
 */
async function summarize(deps: SaveRunDeps, run: RunRecord): Promise<void> {
  if (!SUMMARY_STATUSES.has(run.status)) return;
  const at = toIso(deps.clock());
  const lastRun = {
    slot: run.slot,
    status: run.status,
    at,
    ...(run.lastError ? { errorCode: run.lastError.code } : {}),
  };
  try {
    const newest = run.status === 'AVAILABLE' ? { newestSnapshot: newestSnapshotOf(run) } : {};
    await deps.targets.recordSummaries(run, { lastRun, ...newest });
  } catch (error) {
    logger.warn('could not record the run summary on its target', { ...runFields(run), error });
  }
}

/**
 * Whether the write over `read` changed only the run's export (an AVAILABLE run stays AVAILABLE): its
 * snapshot's outcome was reported, counted and summarised when it became AVAILABLE, not again.
 */
function changedExportOnly(run: RunRecord, read: RunRecord | undefined): boolean {
  return read?.status === 'AVAILABLE' && run.status === 'AVAILABLE';
}

/** After a write of `run` over `read`: the outcome line and metric, the event, the observer, the summaries. */
async function written(deps: SaveRunDeps, run: RunRecord, read: RunRecord | undefined): Promise<void> {
  deps.events?.changed(run, read);
  if (changedExportOnly(run, read)) {
    reportExportOutcome(run);
    return;
  }
  reportOutcome(run);
  deps.observe?.(run);
  await summarize(deps, run);
}

/**
 * Writes `next` over the run if it is still as `read` left it (same status and lease owner), then
 * reports the outcome. Returns false when another tick changed the run first (nothing written).
 * The one way a run changes status: every flow (tick phases, retention) writes through it.
 */
export async function saveRun(deps: SaveRunDeps, next: RunRecord, read: RunRecord): Promise<boolean> {
  try {
    await deps.runs.transition(next, {
      status: read.status,
      ...(read.leaseOwner ? { leaseOwner: read.leaseOwner } : {}),
    });
  } catch (error) {
    if (error instanceof ConditionalWriteError) {
      logger.info('run changed by another tick; leaving it to that tick', {
        ...runFields(next),
        to: next.status,
      });
      return false;
    }
    throw error;
  }
  await written(deps, next, read);
  return true;
}

/** Creates a run record that starts terminal (a MISSED slot); false when the slot already has a record. */
export async function saveNewRun(deps: SaveRunDeps, run: RunRecord): Promise<boolean> {
  const existing = await deps.runs.create(run);
  if (existing) return false;
  await written(deps, run, undefined);
  return true;
}
