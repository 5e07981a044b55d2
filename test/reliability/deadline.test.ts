import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { DEFAULTS } from '#lib/config';
import { withOwnGateway } from '#lib/placements/placement-clients';
import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import { createRandom, randomInt } from '#local/emulator/prng';
import type { Simulation } from '#local/simulation';
import { auditSlots, formatStatuses, type SlotAudit, scheduledSlots } from './support/audit';
import { openRuns } from './support/drive';
import { SCALE, timeoutFor } from './support/scale';
import { startWithPolicies } from './support/start';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
const POLICY_COUNT = 20;
/** Every two hours, on the hour (hourly for more than a day would meet the 24-in-24h snapshot quota). */
const ROUNDS = 4 * SCALE;
const ROUND_MS = 2 * HOUR_MS;
const LAST_SLOT = addMs(START, (ROUNDS - 1) * ROUND_MS);
const MARGIN_MS = DEFAULTS.deadlineMarginMs;

/** Keeping one snapshot each: from the second round on, every completion leaves an older one to prune. */
const POLICIES: PolicyItem[] = Array.from({ length: POLICY_COUNT }, (_, i) => ({
  policyId: `deadline-${String(i).padStart(2, '0')}`,
  cacheName: `deadline-cache-${String(i).padStart(2, '0')}`,
  schedule: 'cron(0 0/2 * * ? *)',
  retention: { maxCount: 1 },
}));

/** What one short tick left behind, right after it returned. */
interface ShortTick {
  /** `slot`: the tick at the slot; `completion`: the next one (completions, retries, retention). */
  readonly kind: 'slot' | 'completion';
  readonly budgetMs: number;
  readonly remainingAtReturn: number;
  /** Time left when each Create of the tick started. */
  readonly remainingAtCreates: readonly number[];
  readonly left: readonly RunRecord[];
}

describe(`ticks given little time, ${ROUNDS} rounds of ${POLICY_COUNT} due policies`, () => {
  let sim: Simulation;
  let audit: SlotAudit;
  const shortTicks: ShortTick[] = [];

  /**
   * The tick at `at` with `budgetMs` of wall time left before the deadline, counted from the moment it
   * first asks (when it starts dispatching: the phases before never ask); what it leaves behind.
   */
  async function shortTick(kind: ShortTick['kind'], at: Date, budgetMs: number): Promise<ShortTick> {
    let deadline: number | undefined;
    const remainingMs = () => {
      deadline ??= Date.now() + budgetMs;
      return deadline - Date.now();
    };
    const remainingAtCreates: number[] = [];
    const gateway = sim.runtime.snapshots;
    const snapshots: SnapshotGateway = {
      listSnapshots: (name) => gateway.listSnapshots(name),
      getSnapshot: (name) => gateway.getSnapshot(name),
      deleteSnapshot: (name) => gateway.deleteSnapshot(name),
      listTags: (arn) => gateway.listTags(arn),
      tagSnapshot: (arn, tags) => gateway.tagSnapshot(arn, tags),
      getCache: (name) => gateway.getCache(name),
      listCaches: () => gateway.listCaches(),
      exportSnapshot: (name, bucket) => gateway.exportSnapshot(name, bucket),
      createCache: (request) => gateway.createCache(request),
      deleteCache: (name) => gateway.deleteCache(name),
      createSnapshot: (request) => {
        remainingAtCreates.push(remainingMs());
        return gateway.createSnapshot(request);
      },
    };
    await sim.tick(at, { remainingMs, placements: withOwnGateway(sim.runtime.placements, snapshots) });
    const remainingAtReturn = remainingMs();
    const left = (await sim.allRuns()).filter((run) => run.slot === at.toISOString());
    return { kind, budgetMs, remainingAtReturn, remainingAtCreates, left };
  }

  beforeAll(async () => {
    sim = await startWithPolicies(START, POLICIES);
    const emulator = sim.stack.emulator;
    const draw = createRandom(5);
    for (let round = 0; round < ROUNDS; round += 1) {
      const slot = addMs(START, round * ROUND_MS);
      // Every other round the slot's tick starts dispatching with less than the margin left; the others
      // run out of time part-way: each ElastiCache call is held 50–100 ms, the time runs out after 10–60 ms.
      const budgetMs = round % 2 === 1 ? MARGIN_MS - 1_000 : MARGIN_MS + randomInt(draw, 10, 60);
      emulator.setLatency({ minMs: 50, maxMs: 100 });
      shortTicks.push(await shortTick('slot', slot, budgetMs));
      // The next tick finds snapshots complete (and, from the second round, older ones to prune) and the
      // handed-back runs due, with as little time; ElastiCache answers in 200–300 ms.
      emulator.setLatency({ minMs: 200, maxMs: 300 });
      const next = addMs(slot, MINUTE_MS);
      shortTicks.push(await shortTick('completion', next, MARGIN_MS + randomInt(draw, 10, 60)));
      emulator.setLatency(undefined);
      for (let minute = 2; minute < 60; minute += 1) {
        await sim.tick(addMs(slot, minute * MINUTE_MS));
        if ((await openRuns(sim)).length === 0) break;
      }
    }
    audit = auditSlots({
      expected: scheduledSlots(POLICIES, new Date(START.getTime() - 1), LAST_SLOT),
      runs: await sim.allRuns(),
      calls: emulator.calls,
      snapshots: emulator.snapshots(),
    });
    const left = shortTicks.filter((tick) => tick.kind === 'slot').flatMap((tick) => tick.left);
    printSummary('deadline', {
      slots: audit.slots,
      'short ticks': shortTicks.length,
      'returned before the deadline': shortTicks.filter((tick) => tick.remainingAtReturn > 0).length,
      'started in time': left.filter((run) => run.status === 'REQUESTED').length,
      'handed back': left.filter((run) => run.status === 'RETRYING').length,
      'Creates inside the margin': shortTicks
        .flatMap((tick) => tick.remainingAtCreates)
        .filter((ms) => ms <= MARGIN_MS).length,
      duplicates: audit.duplicates.length,
      lost: audit.lost.length,
      statuses: formatStatuses(audit.byStatus),
    });
  }, timeoutFor(120_000));

  afterAll(() => sim?.stop());

  it('starts no Create within the deadline margin, and returns before the deadline', () => {
    for (const tick of shortTicks) {
      expect(tick.remainingAtCreates.filter((ms) => ms <= MARGIN_MS)).toEqual([]);
      expect(tick.remainingAtReturn).toBeGreaterThan(0);
    }
  });

  it('leaves every due slot durable: requested, or handed back as a retry due at once', () => {
    const slotTicks = shortTicks.filter((tick) => tick.kind === 'slot');
    for (const tick of slotTicks) {
      expect(tick.left).toHaveLength(POLICY_COUNT);
      const handedBack = tick.left.filter((run) => run.status === 'RETRYING');
      expect(tick.left.filter((run) => run.status !== 'REQUESTED' && run.status !== 'RETRYING')).toEqual([]);
      expect(handedBack.every((run) => run.lastError?.code === 'DeadlineReached')).toBe(true);
      if (tick.budgetMs < MARGIN_MS) expect(handedBack).toHaveLength(POLICY_COUNT);
    }
    expect(slotTicks.some((tick) => tick.budgetMs > MARGIN_MS && tick.remainingAtCreates.length > 0)).toBe(
      true,
    );
    expect(slotTicks.every((tick) => tick.left.some((run) => run.status === 'RETRYING'))).toBe(true);
  });

  it('has the next ticks complete every slot, one snapshot each, and prune what retention says', () => {
    expect(audit.lost).toEqual([]);
    expect(audit.byStatus).toEqual({ AVAILABLE: POLICY_COUNT, PRUNED: audit.slots - POLICY_COUNT });
    expect(audit.orphans).toEqual([]);
    expect(audit.missingSnapshots).toEqual([]);
    expect(audit.duplicates).toEqual([]);
    expect(audit.repeated).toEqual([]);
    expect(audit.createCalls).toBe(audit.slots);
  });
});
