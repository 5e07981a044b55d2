import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import type { CallRecord } from '#local/emulator/index';
import { Simulation } from '#local/simulation';

/** A simulation with the given caches seeded, started at `start`. */
export async function simulationWithCaches(
  start: Date,
  caches: string[],
  completionMs = 120_000,
): Promise<Simulation> {
  const sim = await Simulation.start({ start, emulator: { snapshotCompletionMs: completionMs } });
  for (const name of caches) sim.stack.emulator.seedCache({ name });
  return sim;
}

/** An hourly policy on `cacheName`, with any attribute overridden. */
export function hourlyPolicy(
  policyId: string,
  cacheName: string,
  extra: Partial<PolicyItem> = {},
): PolicyItem {
  return { policyId, cacheName, schedule: 'cron(0 * * * ? *)', ...extra };
}

/** Create calls the emulator received, optionally for one snapshot name. */
export function createCalls(sim: Simulation, snapshotName?: string) {
  return sim.stack.emulator.calls.filter(
    (call) =>
      call.action === 'CreateServerlessCacheSnapshot' &&
      (snapshotName === undefined || call.params.ServerlessCacheSnapshotName === snapshotName),
  );
}

/** The single run of `policyId`; fails the test if there is not exactly one. */
export async function onlyRun(sim: Simulation, policyId: string): Promise<RunRecord> {
  const runs: RunRecord[] = [];
  for await (const run of sim.runtime.runs.listByPolicy(policyId)) runs.push(run);
  if (runs.length !== 1) throw new Error(`expected one run of ${policyId}, found ${runs.length}`);
  return runs[0] as RunRecord;
}

/** A tag of the snapshot a Create call asked for (`undefined` when absent). */
export function tagOf(call: CallRecord, key: string): string | undefined {
  const tags = call.params.Tags;
  return typeof tags === 'object' ? tags[key] : undefined;
}
