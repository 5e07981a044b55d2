import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { createRandom, randomInt } from '#local/emulator/prng';
import type { Simulation } from '#local/simulation';
import {
  auditSlots,
  CREATE,
  formatStatuses,
  racedCreates,
  type SlotAudit,
  scheduledSlots,
} from './support/audit';
import { openRuns } from './support/drive';
import { SCALE, timeoutFor } from './support/scale';
import { startWithPolicies } from './support/start';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
const POLICY_COUNT = 12;
/** Every two hours, on the hour: each round is one slot of every policy. */
const ROUNDS = 4 * SCALE;
const LAST_SLOT = addMs(START, (ROUNDS - 1) * 2 * HOUR_MS);
const TICKS_AT_ONCE = 10;
/** Minutes of each round that get ten identical ticks at once (slot, completions, durable retries). */
const RACED_MINUTES = [0, 1, 2, 3];

const POLICIES: PolicyItem[] = Array.from({ length: POLICY_COUNT }, (_, i) => ({
  policyId: `race-${String(i).padStart(2, '0')}`,
  cacheName: `race-cache-${String(i).padStart(2, '0')}`,
  schedule: 'cron(0 0/2 * * ? *)',
}));

describe(`${TICKS_AT_ONCE} identical ticks at once, ${ROUNDS} rounds of ${POLICY_COUNT} policies`, () => {
  let sim: Simulation;
  let audit: SlotAudit;
  let raced: string[] = [];
  let racedTicks = 0;
  let busyScripted = 0;

  beforeAll(async () => {
    sim = await startWithPolicies(START, POLICIES);
    const emulator = sim.stack.emulator;
    // A little latency on every call reshuffles how the ticks interleave from one call to the next.
    emulator.setLatency({ minMs: 0, maxMs: 3 });
    const draw = createRandom(99);
    for (let round = 0; round < ROUNDS; round += 1) {
      const slot = addMs(START, round * 2 * HOUR_MS);
      // Some Creates of the round answer "busy", so their runs come back as durable retries and are raced
      // for again in the next minutes.
      const busy = randomInt(draw, 1, 3);
      busyScripted += busy;
      emulator.scriptFaults(
        CREATE,
        Array.from({ length: busy }, () => ({ kind: 'fault', code: 'InvalidServerlessCacheStateFault' })),
      );
      for (const minute of RACED_MINUTES) {
        const at = addMs(slot, minute * MINUTE_MS);
        await Promise.all(Array.from({ length: TICKS_AT_ONCE }, () => sim.tick(at)));
        racedTicks += TICKS_AT_ONCE;
        // The same event delivered again later: a replayed tick must do nothing twice either.
        await sim.tick(at);
      }
      for (let minute = RACED_MINUTES.length; minute < 60; minute += 1) {
        await sim.tick(addMs(slot, minute * MINUTE_MS));
        if ((await openRuns(sim)).length === 0) break;
      }
    }
    emulator.setLatency(undefined);
    raced = racedCreates(emulator.calls);
    audit = auditSlots({
      expected: scheduledSlots(POLICIES, new Date(START.getTime() - 1), LAST_SLOT),
      runs: await sim.allRuns(),
      calls: emulator.calls,
      snapshots: emulator.snapshots(),
    });
    printSummary('concurrency', {
      slots: audit.slots,
      'ticks at once': TICKS_AT_ONCE,
      'raced ticks': racedTicks,
      duplicates: audit.duplicates.length,
      'raced Creates': raced.length,
      'repeated Creates': audit.repeated.length,
      lost: audit.lost.length,
      'busy retries': busyScripted,
      statuses: formatStatuses(audit.byStatus),
    });
  }, timeoutFor(120_000));

  afterAll(() => sim?.stop());

  it('calls Create for a slot from one tick only, however many ticks run at once', () => {
    expect(raced).toEqual([]);
    expect(audit.repeated).toEqual([]);
    expect(audit.duplicates).toEqual([]);
  });

  it('calls Create once per slot, plus once per busy answer', () => {
    expect(audit.createCalls).toBe(audit.slots + busyScripted);
  });

  it('loses no slot and ends every run AVAILABLE, one snapshot each', () => {
    expect(audit.lost).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.byStatus).toEqual({ AVAILABLE: audit.slots });
    expect(audit.missingSnapshots).toEqual([]);
    expect(audit.orphans).toEqual([]);
  });
});
