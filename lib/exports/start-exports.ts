import { logger } from '#lib/observability';
import type { Policy } from '#lib/policy/types';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import type { RunRecord } from '#lib/runs/types';
import { advanceExport } from './advance-export';
import type { ExportDeps } from './deps';
import { isExportDue } from './export-due';
import { exportDecided } from './export-state';

/**
 * Exports the policy's new snapshots that its `export.every` chooses (isExportDue): the run's export is
 * decided (EXPORTING, one conditional write: only one tick decides) and moved on at once (the export call).
 * `runs` are the policy's runs that just became AVAILABLE. Nothing for a policy without `export`: its
 * snapshots cost the tick nothing more. One run's failure is logged and the others go on.
 */
export async function startExports(
  deps: ExportDeps,
  policy: Policy,
  runs: readonly RunRecord[],
  owner: string,
): Promise<void> {
  const rule = policy.export;
  if (rule === undefined) return;
  const { giveUpAfterMs } = deps.exports.settings;
  for (const run of runs) {
    try {
      if (run.export !== undefined || !(await isExportDue(deps.runs, policy, run))) continue;
      // The snapshot's region (the run's, a record from before issue 17: the orchestrator's own).
      const region = run.region ?? deps.exports.settings.region;
      const decided = exportDecided(run, rule, region, giveUpAfterMs, deps.clock(), owner);
      if (await saveRun(deps, decided, run)) await advanceExport(deps, decided, owner);
    } catch (error) {
      logger.error('could not start the export of a new snapshot', { ...runFields(run), error });
    }
  }
}
