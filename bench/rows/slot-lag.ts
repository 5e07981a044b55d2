import { syncedPolicy } from '#bench/support/policies';
import { formatNumber, quantile } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { addMs, DAY_MS, MINUTE_MS, toIso } from '#lib/clock';
import { parsePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import { nextSlotAfter } from '#lib/schedule/policy-slots';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { targetStoreOf } from '#lib/targets/target-store';
import { Simulation } from '#local/simulation';

const START = new Date('2030-03-04T00:00:00.000Z');
const TICK_MS = MINUTE_MS;
const BUSY_RATE = 0.02;

/**
 * A fleet of 100 policies: 60 hourly, 20 every 6 hours, 10 daily at midnight UTC on the 6-hourly policies'
 * caches (two snapshots due at once on one cache: the second waits for the first), and 10 daily at 02:00 in
 * four time zones.
 */
function fleet(): PolicyItem[] {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
  return [
    ...Array.from({ length: 60 }, (_, i) => ({
      policyId: `hourly-${i}`,
      cacheName: `h${i}`,
      schedule: 'cron(0 * * * ? *)',
    })),
    ...Array.from({ length: 20 }, (_, i) => ({
      policyId: `six-hourly-${i}`,
      cacheName: `s${i}`,
      schedule: 'rate(6 hours)',
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      policyId: `midnight-${i}`,
      cacheName: `s${i}`,
      schedule: 'cron(0 0 * * ? *)',
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      policyId: `local-two-${i}`,
      cacheName: `z${i}`,
      schedule: 'cron(0 2 * * ? *)',
      timezone: zones[i % zones.length],
    })),
  ];
}

/**
 * Row 5: a simulated day of that fleet on the local stack's fake clock, one tick a minute, with 2% of
 * Create calls answered InvalidServerlessCacheStateFault: the delay from each slot to the Create call that
 * took its snapshot, read from the emulator's call log (its clock is the simulation's).
 */
export async function measureSlotLag(): Promise<Row[]> {
  const sim = await Simulation.start({
    start: START,
    emulator: { snapshotCompletionMs: 3 * MINUTE_MS, accountSnapshotLimit: 100_000, seed: 5 },
  });
  try {
    const policies = new InMemoryPolicyStore();
    const runs = new InMemoryRunStore();
    // The tick lists due work through the target store: over the same in-memory policies.
    const targets = targetStoreOf(policies, new InMemoryTargetTable());
    for (const operator of fleet()) {
      sim.stack.emulator.seedCache({ name: String(operator.cacheName) });
      const first = nextSlotAfter(parsePolicy(operator), addMs(START, -1));
      if (first) await policies.put(syncedPolicy(operator, toIso(first), toIso(START)));
    }
    sim.stack.emulator.setRandomFaults({
      rate: BUSY_RATE,
      seed: 3,
      kinds: ['busy'],
      actions: ['CreateServerlessCacheSnapshot'],
    });
    for (let at = START; at.getTime() < START.getTime() + DAY_MS; at = addMs(at, TICK_MS)) {
      await sim.tick(at, { policies, runs, targets });
    }
    const lags: number[] = [];
    for (const call of sim.stack.emulator.calls) {
      const tags = call.params.Tags;
      const slot = typeof tags === 'object' ? tags[MANAGED_TAGS.slot] : undefined;
      if (call.action === 'CreateServerlessCacheSnapshot' && call.outcome === 'ok' && slot) {
        lags.push(call.at.getTime() - Date.parse(slot));
      }
    }
    if (lags.length === 0) throw new Error('slot lag: the simulated day created no snapshot');
    const seconds = (ms: number) => `${formatNumber(ms / 1000)} s`;
    const late = lags.filter((lag) => lag > TICK_MS).length;
    return [0.5, 0.99].map((q) => ({
      name: `5. slot lag p${q * 100}: slot → its Create call, a simulated day (${formatNumber(lags.length)} snapshots, ${BUSY_RATE * 100}% busy answers)`,
      measured: `${seconds(quantile(lags, q))}${q === 0.99 ? ` (max ${seconds(Math.max(...lags))}, ${late} later than a tick)` : ''}`,
      baseline: `${seconds(TICK_MS)} (tick period)`,
      ratio: quantile(lags, q) / TICK_MS,
      target: 'info',
      pass: undefined,
    }));
  } finally {
    await sim.stop();
  }
}
