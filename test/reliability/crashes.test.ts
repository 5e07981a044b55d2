import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { createRandom, randomInt } from '#local/emulator/prng';
import type { Simulation } from '#local/simulation';
import { auditSlots, formatStatuses, type SlotAudit, scheduledSlots } from './support/audit';
import { type ChildTicks, prepareChildTicks, type SnapshotCrashPlan } from './support/child-ticks';
import { openRuns } from './support/drive';
import { SCALE, timeoutFor } from './support/scale';
import { startWithPolicies } from './support/start';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
const POLICY_COUNT = 6;
const ROUNDS = 6 * SCALE;
const LAST_SLOT = addMs(START, (ROUNDS - 1) * 2 * HOUR_MS);
/** The default claim lease is 5 minutes: the child at minute 5 is the first tick to find the first child's claims expired. */
const CHILD_MINUTES = [0, 5];

const POLICIES: PolicyItem[] = Array.from({ length: POLICY_COUNT }, (_, i) => ({
  policyId: `crash-${i}`,
  cacheName: `crash-cache-${i}`,
  schedule: 'cron(0 0/2 * * ? *)',
}));

describe(`ticks in child processes killed with SIGKILL, ${ROUNDS} rounds of ${POLICY_COUNT} policies`, () => {
  let sim: Simulation;
  let children: ChildTicks;
  let audit: SlotAudit;
  const kills: Record<SnapshotCrashPlan['kind'] | 'finished', number> = {
    'before-create': 0,
    'after-create': 0,
    timed: 0,
    none: 0,
    finished: 0,
  };

  /**
   * The first child of a round (minute 0) is stopped before or after a random Create, or killed at a random
   * moment, in turn; the second (minute 5, the first tick that may take over the crashed claims) before or
   * after its first Create, in turn.
   */
  function planFor(round: number, minute: number, draw: () => number): SnapshotCrashPlan {
    if (minute > 0) return { kind: round % 2 === 0 ? 'after-create' : 'before-create', nth: 1 };
    const nth = randomInt(draw, 1, POLICY_COUNT);
    if (round % 3 === 0) return { kind: 'before-create', nth };
    if (round % 3 === 1) return { kind: 'after-create', nth };
    return { kind: 'timed', afterMs: randomInt(draw, 0, 150) };
  }

  beforeAll(async () => {
    children = await prepareChildTicks();
    sim = await startWithPolicies(START, POLICIES);
    const emulator = sim.stack.emulator;
    const draw = createRandom(31);
    for (let round = 0; round < ROUNDS; round += 1) {
      const slot = addMs(START, round * 2 * HOUR_MS);
      for (let minute = 0; minute < 60; minute += 1) {
        const at = addMs(slot, minute * MINUTE_MS);
        if (CHILD_MINUTES.includes(minute)) {
          const plan = planFor(round, minute, draw);
          // Latency holds ElastiCache calls in flight, so a timed kill lands before the tick ends, often
          // in the middle of a call.
          if (plan.kind === 'timed') emulator.setLatency({ minMs: 100, maxMs: 200 });
          sim.setTime(at);
          const outcome = await children.run(at, plan, sim.stack.env);
          emulator.setLatency(undefined);
          kills[outcome.ending === 'killed' ? plan.kind : 'finished'] += 1;
        } else {
          await sim.tick(at);
          if (minute > Math.max(...CHILD_MINUTES) && (await openRuns(sim)).length === 0) break;
        }
      }
    }
    audit = auditSlots({
      expected: scheduledSlots(POLICIES, new Date(START.getTime() - 1), LAST_SLOT),
      runs: await sim.allRuns(),
      calls: emulator.calls,
      snapshots: emulator.snapshots(),
    });
    const killed = kills['before-create'] + kills['after-create'] + kills.timed;
    printSummary('crashes', {
      slots: audit.slots,
      'children killed': `${killed} (before Create ${kills['before-create']}, after Create ${kills['after-create']}, at a random moment ${kills.timed})`,
      'ran to the end': kills.finished,
      duplicates: audit.duplicates.length,
      lost: audit.lost.length,
      'Creates repeated after a crash': audit.repeated.length,
      statuses: formatStatuses(audit.byStatus),
    });
  }, timeoutFor(120_000));

  afterAll(async () => {
    children?.dispose();
    await sim?.stop();
  });

  it('kills ticks after the claim before the Create, after the Create before the record, and at random moments', () => {
    expect(kills['before-create']).toBeGreaterThanOrEqual(ROUNDS / 3);
    expect(kills['after-create']).toBeGreaterThanOrEqual(ROUNDS / 3);
    expect(kills.timed).toBeGreaterThan(0);
  });

  it('loses no slot: later ticks complete every one', () => {
    expect(audit.lost).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.byStatus).toEqual({ AVAILABLE: audit.slots });
  });

  it('makes exactly one snapshot per slot', () => {
    expect(audit.duplicates).toEqual([]);
    expect(audit.missingSnapshots).toEqual([]);
    expect(audit.orphans).toEqual([]);
  });
});
