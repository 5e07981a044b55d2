import { toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { hasTimeLeft } from '#lib/lifecycle/deps';
import { logger } from '#lib/observability';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { isExportInFlight, type RunRecord } from '#lib/runs/types';
import type { ExportDeps } from './deps';
import { applyExportRetention } from './export-retention';
import { exportOf } from './export-state';
import { callExport, checkExport } from './export-steps';
import { copyToReplica } from './replicate';

/** Most steps one tick takes for one export: call, check, copy, and a retried copy of one more object. */
const MAX_STEPS_PER_TICK = 6;

/** The step an export in flight is at: the export call, the check for its objects, or the copy. */
function stepOf(deps: ExportDeps, run: RunRecord, owner: string): Promise<RunRecord> {
  const exported = exportOf(run);
  if (exported.status !== 'EXPORTING') return copyToReplica(deps, run, owner);
  return exported.startedAt === undefined ? callExport(deps, run, owner) : checkExport(deps, run, owner);
}

/**
 * Moves a run's export on as far as it goes now, each step one conditional write (saveRun, versioned by
 * `owner`): it stops once the export waits for a later time, ends, another tick wrote the run first, or the
 * invocation's time is up (what is left is due at once for the next tick).
 */
export async function advanceExport(deps: ExportDeps, run: RunRecord, owner: string): Promise<void> {
  let current = run;
  for (let step = 0; step < MAX_STEPS_PER_TICK; step += 1) {
    if (!isExportInFlight(current.export) || !hasTimeLeft(deps)) return;
    if (step > 0 && (current.nextCheckAt ?? '') > toIso(deps.clock())) return;
    const next = await stepOf(deps, current, owner);
    if (!(await saveRun(deps, next, current))) return;
    if (!isExportInFlight(next.export) && next.export?.status !== 'FAILED') {
      await applyExportRetention(deps, next);
    }
    current = next;
  }
}

/**
 * Follows the exports in flight that are due (AVAILABLE runs listed open for their export), several at a
 * time, none started within the deadline margin (they stay due). One run's failure is logged; its export
 * stays as recorded and a later tick takes it up again.
 */
export async function followExports(
  deps: ExportDeps,
  runs: readonly RunRecord[],
  owner: string,
): Promise<void> {
  await runBounded(
    runs,
    deps.settings.concurrency,
    async (run) => {
      try {
        await advanceExport(deps, run, owner);
      } catch (error) {
        logger.error('could not move the export on; a later tick will', { ...runFields(run), error });
      }
    },
    () => hasTimeLeft(deps),
  );
}
