import { randomUUID } from 'node:crypto';
import type { RunRecord } from '#lib/runs/types';
import { takeOnDemandSnapshot } from '#lib/scheduler/on-demand';
import type { EmulatorSnapshot } from '#local/emulator/index';
import type { Simulation } from '#local/simulation';

/**
 * The week's one on-demand snapshot: `cache-snapshots snapshot orders-daily --keep` before a migration of
 * orders on Wednesday afternoon. orders-daily keeps snapshots 3 days (maxAgeDays), so by the end of the week
 * retention has pruned the daily snapshots of that age, and this one is still there: it is kept.
 */
export const ON_DEMAND_DEMO = {
  at: new Date('2026-03-25T14:20:00Z'),
  policyId: 'orders-daily',
  says: 'an operator runs `cache-snapshots snapshot orders-daily --keep` before a migration of orders',
} as const;

/** Takes the on-demand snapshot with the command's code (takeOnDemandSnapshot) at the simulation's clock. */
export async function takeDemoSnapshot(simulation: Simulation, log: (line: string) => void): Promise<void> {
  const { policyId } = ON_DEMAND_DEMO;
  simulation.setTime(ON_DEMAND_DEMO.at);
  const request = { policyId, keep: true, owner: `demo-${randomUUID()}` };
  const result = await takeOnDemandSnapshot(simulation.schedulerDeps(), request);
  const outcome = result.outcome === 'refused' ? `refused: ${result.reason}` : result.run.status;
  log(`  ${ON_DEMAND_DEMO.at.toISOString().slice(11, 16)}Z  ${ON_DEMAND_DEMO.says}: ${outcome}`);
}

/** The report's line on it: its run at the end, whether its snapshot is still there, and what retention pruned. */
export function describeOnDemand(runs: readonly RunRecord[], snapshots: readonly EmulatorSnapshot[]): string {
  const kept = runs.filter((run) => run.kind === 'ON_DEMAND' && run.keep);
  const pruned = runs.filter((run) => run.policyId === ON_DEMAND_DEMO.policyId && run.status === 'PRUNED');
  const lines = kept.map((run) => {
    const present = snapshots.some((snapshot) => snapshot.name === run.snapshotName);
    return (
      `On demand (--keep): ${run.snapshotName} of cache ${run.cacheName} (policy ${run.policyId}), ` +
      `${run.status} at the end, ${present ? 'still in the emulator' : 'GONE from the emulator'}; ` +
      `retention pruned ${pruned.length} other snapshots of ${run.policyId} meanwhile.`
    );
  });
  return lines.join('\n') || 'On demand: no kept on-demand snapshot was taken.';
}
