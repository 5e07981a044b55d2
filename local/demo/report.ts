import { cell } from '#cli/format';
import { formatTable } from '#cli/output';
import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import type { EmulatorSnapshot } from '#local/emulator/index';

/** One line of the final report: a policy and what its run records say happened. */
export interface PolicyReport {
  readonly policyId: string;
  readonly cacheName: string;
  readonly state: string;
  /** Runs whose snapshot was requested (CreateServerlessCacheSnapshot accepted). */
  readonly created: number;
  /** Runs AVAILABLE at the end: the snapshots the policy holds. */
  readonly available: number;
  /** Runs that needed more than one Create attempt (whatever their outcome). */
  readonly retried: number;
  readonly failed: number;
  /** Runs whose snapshot retention deleted. */
  readonly pruned: number;
  readonly missed: number;
  /** Why the policy is not ACTIVE (INVALID or DISABLED), from the policy item. */
  readonly reason: string;
}

const count = (runs: readonly RunRecord[], test: (run: RunRecord) => boolean) => runs.filter(test).length;

/** The report of every policy, from the policy items and the run records alone. */
export function buildReport(items: readonly PolicyItem[], runs: readonly RunRecord[]): PolicyReport[] {
  return [...items]
    .sort((a, b) => a.policyId.localeCompare(b.policyId))
    .map((item) => {
      const own = runs.filter((run) => run.policyId === item.policyId);
      return {
        policyId: item.policyId,
        cacheName: cell(item.cacheName),
        state: cell(item.state),
        created: count(own, (run) => run.requestedAt !== undefined),
        available: count(own, (run) => run.status === 'AVAILABLE'),
        retried: count(own, (run) => run.attempts > 1),
        failed: count(own, (run) => run.status === 'FAILED'),
        pruned: count(own, (run) => run.status === 'PRUNED'),
        missed: count(own, (run) => run.status === 'MISSED'),
        reason: item.stateReason ?? '',
      };
    });
}

const NUMBERS = ['created', 'available', 'retried', 'failed', 'pruned', 'missed'] as const;

/** The report as table lines, with a totals row. */
export function formatReport(rows: readonly PolicyReport[]): string[] {
  const total = (key: (typeof NUMBERS)[number]) => String(rows.reduce((sum, row) => sum + row[key], 0));
  const body = rows.map((row) => [
    row.policyId,
    row.cacheName,
    row.state,
    ...NUMBERS.map((key) => String(row[key])),
    row.reason,
  ]);
  const totals = ['total', '', '', ...NUMBERS.map(total), ''];
  const headers = ['POLICY', 'CACHE', 'STATE', ...NUMBERS.map((key) => key.toUpperCase()), 'INVALID REASON'];
  return formatTable(headers, [...body, totals]);
}

/**
 * A cross-check of the report against the emulator: the orchestrator's snapshots it holds (by managed tag)
 * against the AVAILABLE runs, and the snapshots nobody's policy made, which retention must have left alone.
 */
export function describeSnapshots(
  snapshots: readonly EmulatorSnapshot[],
  rows: readonly PolicyReport[],
): string {
  const managed = snapshots.filter((snapshot) => snapshot.tags[MANAGED_TAGS.managedBy] === MANAGED_BY_VALUE);
  const others = snapshots.filter((snapshot) => !managed.includes(snapshot)).map((snapshot) => snapshot.name);
  const available = rows.reduce((sum, row) => sum + row.available, 0);
  return (
    `The emulator holds ${managed.length} snapshots tagged by the orchestrator (AVAILABLE runs: ${available}) ` +
    `and ${others.length} others, left alone: ${others.join(', ') || 'none'}.`
  );
}
