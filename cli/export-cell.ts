import type { RunRecord } from '#lib/runs/types';

/**
 * How `runs` shows a run's export in one table cell: `-` when the snapshot was not exported, else the export's
 * status and where it is (`EXPORTED orders-exports`, `REPLICATED orders-exports → orders-dr`), and the last
 * error's code while it retries or once it FAILED. `--json` prints the whole `export` map.
 */
export function exportCell(run: Pick<RunRecord, 'export'>): string {
  const exported = run.export;
  if (exported === undefined) return '-';
  const where =
    exported.status === 'REPLICATED' && exported.replica
      ? `${exported.bucket} → ${exported.replica.bucket}`
      : exported.bucket;
  const error = exported.lastError ? ` (${exported.lastError.code})` : '';
  return `${exported.status} ${where}${error}`;
}
