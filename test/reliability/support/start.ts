import { addMs, MINUTE_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { Simulation } from '#local/simulation';

/**
 * A simulation starting a minute before `start`, with a cache seeded for each policy's `cacheName`, the
 * policies written and synced, and the emulator's call log cleared: what every part starts from.
 */
export async function startWithPolicies(start: Date, policies: readonly PolicyItem[]): Promise<Simulation> {
  const sim = await Simulation.start({
    start: addMs(start, -MINUTE_MS),
    emulator: { snapshotCompletionMs: 30_000 },
  });
  const emulator = sim.stack.emulator;
  for (const policy of policies) emulator.seedCache({ name: String(policy.cacheName) });
  for (const policy of policies) await sim.putPolicy(policy);
  emulator.resetCalls();
  return sim;
}
