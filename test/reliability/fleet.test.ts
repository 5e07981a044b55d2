import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { RunRecord } from '#lib/runs/types';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { Simulation } from '#local/simulation';
import { CREATE } from './support/audit';
import {
  type ChildOutcome,
  type ChildTicks,
  prepareChildTicks,
  type SnapshotCrashPlan,
} from './support/child-ticks';
import { openRuns } from './support/drive';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
const CACHES = 100;
/** Two policies choose every cache: 200 targets. Their slots are two hours apart, so a cache is never asked twice at once. */
const POLICIES = [
  { policyId: 'fleet-a', schedule: 'cron(0 0/4 * * ? *)', targets: { tags: { fleet: 'yes' } } },
  { policyId: 'fleet-b', schedule: 'cron(0 2/4 * * ? *)', targets: { names: ['fleet-*'] } },
];
const SLOTS = [START, addMs(START, 2 * HOUR_MS)];
/** Identical ticks in this process beside each crashing child, at the same instant. */
const TICKS_BESIDE_A_CHILD = 2;

/**
 * A child tick killed as `plan` says. `race`: the identical ticks start as the child starts its tick and race
 * it for the claims; else they follow its crash at the same instant (racing it for claims it must take over
 * first, they would leave it none).
 */
interface Crash {
  readonly minute: number;
  readonly plan: SnapshotCrashPlan;
  readonly race: boolean;
}

/**
 * Each slot's crashing children. The first slot: at minute 0 one that claims every target and is killed
 * after a Create was answered, before its record; at minute 5 (the claim lease is 5 minutes: the first tick
 * that may take the crashed claims over) one killed before the Create of a claim it took over; the identical
 * ticks then take over its claims together at minute 10. The second slot: one killed at a moment of its
 * tick while identical ticks race it for the fresh claims.
 */
const CRASHES: readonly (readonly Crash[])[] = [
  [
    { minute: 0, plan: { kind: 'after-create', nth: 12 }, race: false },
    { minute: 5, plan: { kind: 'before-create', nth: 3 }, race: false },
  ],
  [{ minute: 0, plan: { kind: 'timed', afterMs: 400 }, race: true }],
];

/** `policy/cache/slot` of a run, or of a snapshot by its cache and managed tags. */
const targetSlot = (policyId: string | undefined, cacheName: string, slot: string | undefined) =>
  `${policyId}/${cacheName}/${slot}`;

/**
 * The fleet part of the reliability suite: 200 targets (two targets policies over 100 caches), each slot's
 * ticks run in child processes SIGKILLed mid-tick (after a Create before its record, before the Create of a
 * claim taken over, at a moment of a tick raced by identical ticks) and identical ticks at once after each
 * crash and every minute until every run settles: exactly one snapshot, one accepted CreateServerlessCacheSnapshot and one run per (policy, cache, slot).
 */
describe(`${CACHES * POLICIES.length} targets under crashing and concurrent ticks`, () => {
  let sim: Simulation;
  let children: ChildTicks;
  const outcomes: ChildOutcome[] = [];
  const runs: RunRecord[] = [];

  beforeAll(async () => {
    children = await prepareChildTicks();
    sim = await Simulation.start({
      start: addMs(START, -MINUTE_MS),
      emulator: { snapshotCompletionMs: 30_000 },
    });
    for (let i = 0; i < CACHES; i += 1) {
      sim.stack.emulator.seedCache({ name: `fleet-${String(i).padStart(3, '0')}`, tags: { fleet: 'yes' } });
    }
    for (const policy of POLICIES) await sim.putPolicy(policy);
    sim.stack.emulator.resetCalls();
    for (const [index, slot] of SLOTS.entries()) {
      for (const { minute, plan, race } of CRASHES[index] ?? []) {
        const at = addMs(slot, minute * MINUTE_MS);
        sim.setTime(at);
        const beside: Promise<unknown>[] = [];
        const start = () => {
          for (let i = 0; i < TICKS_BESIDE_A_CHILD; i += 1) beside.push(sim.tick(at));
        };
        outcomes.push(await children.run(at, plan, sim.stack.env, race ? start : undefined));
        if (!race) start();
        await Promise.all(beside);
      }
      for (let minute = 6; minute < 30; minute += 1) {
        const at = addMs(slot, minute * MINUTE_MS);
        await Promise.all([sim.tick(at), sim.tick(at)]);
        if ((await openRuns(sim)).length === 0) break;
      }
    }
    for (const policy of POLICIES) {
      for await (const run of sim.runtime.runs.listByPolicy(policy.policyId)) runs.push(run);
    }
    printSummary('fleet', {
      targets: CACHES * POLICIES.length,
      runs: runs.length,
      'children killed': outcomes.filter((outcome) => outcome.ending === 'killed').length,
      'children that ran to the end': outcomes.filter((outcome) => outcome.ending === 'finished').length,
    });
  }, 120_000);

  afterAll(async () => {
    children?.dispose();
    await sim?.stop();
  });

  it('kills every child tick mid-tick', () => {
    expect(outcomes.map((outcome) => outcome.ending)).toEqual(CRASHES.flat().map(() => 'killed'));
  });

  it('makes one run per (policy, cache, slot), each with its snapshot available', () => {
    const keys = runs.map((run) => targetSlot(run.policyId, run.cacheName, run.slot));

    expect(new Set(keys).size).toBe(keys.length);
    expect(runs).toHaveLength(CACHES * SLOTS.length);
    expect(runs.filter((run) => run.status !== 'AVAILABLE')).toEqual([]);
  });

  it('makes exactly one snapshot per (policy, cache, slot), through one accepted Create each', () => {
    const creates = sim.stack.emulator.calls.filter(
      (call) => call.action === CREATE && call.outcome === 'ok',
    );
    const names = creates.map((call) => String(call.params.ServerlessCacheSnapshotName));
    const snapshots = sim.stack.emulator
      .snapshots()
      .map((snapshot) =>
        targetSlot(
          snapshot.tags[MANAGED_TAGS.policyId],
          snapshot.cacheName,
          snapshot.tags[MANAGED_TAGS.slot],
        ),
      );

    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set(runs.map((run) => run.snapshotName)));
    expect(snapshots.sort()).toEqual(
      runs.map((run) => targetSlot(run.policyId, run.cacheName, run.slot)).sort(),
    );
  });
});
