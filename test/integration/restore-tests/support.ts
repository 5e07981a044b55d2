import { addMs, MINUTE_MS } from '#lib/clock';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { Simulation } from '#local/simulation';
import { roleOf } from '#test/integration/placements/accounts';

/** The day's restore-test slot of the policy below (04:00 UTC), and the simulation's start. */
export const START = new Date('2026-03-23T00:00:00.000Z');
export const TEST_SLOT = '2026-03-23T04:00:00.000Z';

/** `n` minutes after the restore-test slot. */
export const minute = (n: number) => addMs(new Date(TEST_SLOT), n * MINUTE_MS);

/** The member account tests may put the cache in, its role trusting the simulation with this external ID. */
export const MEMBER = { account: '210987654321', region: 'eu-west-1', externalId: 'b7f3c1d2e5a94f60-rt' };

/**
 * A simulation with cache `orders` and policy `nightly` on it (hourly snapshots, a restore test every day at
 * 04:00 UTC within `maxMinutes`), ticked every 10 minutes up to 04:00 so it has AVAILABLE snapshots.
 * Scratch caches take 3 minutes to create and 1 to delete (the emulator's clock is the simulation's). With
 * `inMember`, the cache and the policy are in the MEMBER account and region (its role trusted).
 */
export async function simulationWithSnapshots(maxMinutes = 30, inMember = false): Promise<Simulation> {
  const sim = await Simulation.start({
    start: START,
    emulator: {
      snapshotCompletionMs: 2 * MINUTE_MS,
      cacheCreationMs: 3 * MINUTE_MS,
      cacheDeletionMs: MINUTE_MS,
    },
    ...(inMember ? { memberExternalId: MEMBER.externalId } : {}),
  });
  const { emulator, sts } = sim.stack;
  (inMember ? emulator.partition(MEMBER.account, MEMBER.region) : emulator).seedCache({ name: 'orders' });
  if (inMember) {
    const role = roleOf(MEMBER.account);
    sts.trustRole(role, { externalId: MEMBER.externalId, trustedAccounts: [emulator.accountId] });
  }
  await sim.putPolicy({
    policyId: 'nightly',
    cacheName: 'orders',
    schedule: 'cron(0 * * * ? *)',
    restoreTest: { schedule: 'cron(0 4 * * ? *)', maxMinutes },
    ...(inMember ? { account: MEMBER.account, region: MEMBER.region } : {}),
  });
  await sim.tickThrough(START, new Date(TEST_SLOT), 10 * MINUTE_MS);
  return sim;
}

/** Reconcile at `at` (the clock set to it): what starts the restore tests whose slot came. */
export async function reconcileAt(sim: Simulation, at: Date) {
  sim.setTime(at);
  return reconcilePolicies(sim.reconcileDeps(), sim.restoreTestStartDeps());
}

/** Ticks every minute from `from` (inclusive) for `minutes` minutes. */
export async function tickMinutes(sim: Simulation, from: Date, minutes: number): Promise<void> {
  await sim.tickThrough(from, addMs(from, (minutes - 1) * MINUTE_MS), MINUTE_MS);
}

/** The restore test of the day's slot. */
export async function restoreTestOf(sim: Simulation, slot = TEST_SLOT): Promise<RestoreTestRecord> {
  const record = await sim.runtime.restoreTests.get({ policyId: 'nightly', cacheName: 'orders', slot });
  if (!record) throw new Error(`no restore test of ${slot}`);
  return record;
}

/** The scratch caches (name `rt-…`) the emulator holds, with their status. */
export function scratchCaches(sim: Simulation): string[] {
  return sim.stack.emulator
    .caches()
    .filter((cache) => cache.name.startsWith('rt-'))
    .map((cache) => `${cache.name}:${cache.status}`);
}

/** The emulator's calls of `action`. */
export function callsOf(sim: Simulation, action: string) {
  return sim.stack.emulator.calls.filter((call) => call.action === action);
}
