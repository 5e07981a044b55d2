import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, DAY_MS, HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { startDueRestoreTests } from '#lib/restore-tests/start-due-restore-tests';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import { createRandom, randomInt } from '#local/emulator/prng';
import type { Simulation } from '#local/simulation';
import { type ChildTicks, prepareChildTicks, type RestoreTestCrashPlan } from './support/child-ticks';
import { SCALE, timeoutFor } from './support/scale';
import { startWithPolicies } from './support/start';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
const POLICY_COUNT = 3;
const DAYS = 3 * SCALE;
/** The shortest allowed: a test before-create crash retries after the 5-minute lease and still ends within it. */
const MAX_MINUTES = 12;
const KINDS: readonly RestoreTestCrashPlan['kind'][] = [
  'before-create-cache',
  'after-create-cache',
  'after-delete-cache',
];

const POLICIES: PolicyItem[] = Array.from({ length: POLICY_COUNT }, (_, i) => ({
  policyId: `restore-crash-${i}`,
  cacheName: `crash-source-${i}`,
  schedule: 'cron(0 * * * ? *)',
  restoreTest: { schedule: 'cron(0 3 * * ? *)', maxMinutes: MAX_MINUTES },
}));

/** Every restore test of the policies, by slot. */
async function allTests(sim: Simulation): Promise<RestoreTestRecord[]> {
  const tests: RestoreTestRecord[] = [];
  for (const policy of POLICIES) {
    for await (const record of sim.runtime.restoreTests.listOfTarget(
      policy.policyId,
      String(policy.cacheName),
    )) {
      tests.push(record);
    }
  }
  return tests;
}

const scratchCaches = (sim: Simulation) =>
  sim.stack.emulator.caches().filter((cache) => cache.name.startsWith('rt-'));

describe(`restore-test ticks in child processes killed with SIGKILL, ${DAYS} days of ${POLICY_COUNT} policies`, () => {
  let sim: Simulation;
  let children: ChildTicks;
  const killed: Record<string, number> = {};
  /** Scratch caches still there one tick after each day's tests reached maxMinutes. */
  const leftBehind: string[] = [];

  beforeAll(async () => {
    children = await prepareChildTicks();
    sim = await startWithPolicies(START, POLICIES);
    const draw = createRandom(15);
    for (let day = 0; day < DAYS; day += 1) {
      const midnight = addMs(START, day * DAY_MS);
      // The 02:00 snapshot (complete a tick later): the one each test restores.
      await sim.tick(addMs(midnight, 2 * HOUR_MS));
      await sim.tick(addMs(midnight, 2 * HOUR_MS + MINUTE_MS));
      const slot = addMs(midnight, 3 * HOUR_MS);
      sim.setTime(slot);
      const items: PolicyItem[] = [];
      for await (const item of sim.runtime.policies.listAll()) items.push(item);
      await startDueRestoreTests(sim.restoreTestStartDeps(), items);
      const plan: RestoreTestCrashPlan = {
        kind: KINDS[day % KINDS.length] ?? 'after-create-cache',
        nth: randomInt(draw, 1, POLICY_COUNT),
      };
      // A delete comes once the scratch caches are available (3 minutes after their Create at 03:01: the tick at 03:04 sees them).
      const childMinute = plan.kind === 'after-delete-cache' ? 4 : 1;
      for (let minute = 1; minute <= MAX_MINUTES + 1; minute += 1) {
        const at = addMs(slot, minute * MINUTE_MS);
        if (minute === childMinute) {
          sim.setTime(at);
          const outcome = await children.run(at, plan, sim.stack.env);
          if (outcome.ending === 'killed') killed[plan.kind] = (killed[plan.kind] ?? 0) + 1;
        } else {
          await sim.tick(at);
        }
      }
      leftBehind.push(
        ...scratchCaches(sim).map((cache) => `${midnight.toISOString().slice(0, 10)} ${cache.name}`),
      );
    }
    printSummary('restore-test crashes', {
      days: DAYS,
      killed: Object.entries(killed)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', '),
      'scratch caches left behind': leftBehind.length,
    });
  }, timeoutFor(120_000));

  afterAll(async () => {
    children?.dispose();
    await sim?.stop();
  });

  it('kills ticks before and after a scratch cache Create and after its Delete', () => {
    for (const kind of KINDS.slice(0, Math.min(DAYS, KINDS.length))) expect(killed[kind]).toBeGreaterThan(0);
  });

  it('ends every test VERIFIED and cleaned up, with one scratch cache Create each', async () => {
    const tests = await allTests(sim);
    expect(tests).toHaveLength(DAYS * POLICY_COUNT);
    expect(tests.filter((test) => test.status !== 'VERIFIED' || test.cleanedUpAt === undefined)).toEqual([]);
    const creates = sim.stack.emulator.calls.filter(
      (call) => call.action === 'CreateServerlessCache' && call.outcome === 'ok',
    );
    const names = creates.map((call) => String(call.params.ServerlessCacheName));
    expect(names.sort()).toEqual(tests.map((test) => test.scratchCacheName).sort());
  });

  it('leaves no scratch cache past one tick after maxMinutes', () => {
    expect(leftBehind).toEqual([]);
    expect(scratchCaches(sim)).toEqual([]);
  });
});
