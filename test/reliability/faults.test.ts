import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createElastiCacheClient,
  ElastiCacheSnapshotGateway,
} from '#lib/adapters/elasticache/snapshot-gateway';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { withOwnGateway } from '#lib/placements/placement-clients';
import type { PolicyItem } from '#lib/policy/types';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { createRandom } from '#local/emulator/prng';
import { noDelayRetries } from '#local/no-delay-retries';
import { Simulation } from '#local/simulation';
import { auditSlots, CREATE, formatStatuses, type SlotAudit, scheduledSlots } from './support/audit';
import { driveTicks } from './support/drive';
import { SCALE, timeoutFor } from './support/scale';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
/** 500 caches × 2 hourly slots at scale 1 (1,000 pairs); 1,000 × 10 at scale 10. */
const CACHE_COUNT = 500 * Math.min(SCALE, 2);
const HOURS = (2 * SCALE) / Math.min(SCALE, 2);
const LAST_SLOT = addMs(START, (HOURS - 1) * HOUR_MS);
const FAULT_RATE = 0.3;
/**
 * On top of the random faults (whose dropped connections lose the request), up to this many Creates per tick
 * take effect and then lose their response.
 */
const AFTER_EFFECT_DROPS_PER_TICK = 4;

/**
 * One hourly policy per cache, over HOURS hours of 2026-03-02 (on the hour, so each tick has many caches
 * to work on at once), in UTC or in Berlin; some with retention (so snapshots get pruned under faults
 * too), a short start window or a KMS key.
 */
function hourlyPolicies(): PolicyItem[] {
  return Array.from({ length: CACHE_COUNT }, (_, i) => {
    const berlin = i % 4 === 0;
    const firstHour = berlin ? 1 : 0;
    return {
      policyId: `faults-${String(i).padStart(3, '0')}`,
      cacheName: `cache-${String(i).padStart(3, '0')}`,
      schedule: `cron(0 ${firstHour}-${firstHour + HOURS - 1} 2 3 ? 2026)`,
      timezone: berlin ? 'Europe/Berlin' : 'UTC',
      tags: { team: `team-${i % 7}` },
      ...(i % 10 === 0 ? { retention: { maxCount: 1 } } : {}),
      // A short start window: retries run out, and a run ends FAILED with its fault (never while its
      // snapshot exists: a lost answer may hide a Create that went through).
      ...(i % 5 === 1 ? { startWindowMinutes: 5 } : {}),
      ...(i % 3 === 0 ? { kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/k-${i}` } : {}),
    };
  });
}

describe(`${CACHE_COUNT * HOURS} (policy, slot) pairs with ${FAULT_RATE * 100}% of ElastiCache calls failing`, () => {
  let sim: Simulation;
  let audit: SlotAudit;
  let faultedCalls = 0;
  let totalCalls = 0;
  const policies = hourlyPolicies();

  beforeAll(async () => {
    sim = await Simulation.start({
      start: START,
      emulator: {
        snapshotCompletionMs: 30_000,
        // Retention is on a tenth of the policies only; the others keep every snapshot.
        accountSnapshotLimit: 100_000,
        seed: 11,
      },
    });
    const emulator = sim.stack.emulator;
    for (const policy of policies) emulator.seedCache({ name: String(policy.cacheName) });
    // Written as an operator would, then synced by one reconcile (one scan for every policy's peers, where
    // a sync per policy would scan the table for each).
    for (const policy of policies) await sim.runtime.policies.put(policy);
    const reconciled = await reconcilePolicies(sim.reconcileDeps());
    expect(reconciled).toMatchObject({ synced: policies.length, failed: 0 });
    emulator.resetCalls();
    emulator.setRandomFaults({ rate: FAULT_RATE, seed: 2026 });
    const draw = createRandom(7);
    // The real SDK client with its standard retries (without their backoff waits), and without the runtime's
    // adaptive limit: random throttles are not a rate limit, and under them the limit's AIMD settles near 10
    // calls a second (it paces calls; it does not decide which calls are made, which is what this part checks).
    const snapshots = new ElastiCacheSnapshotGateway(
      createElastiCacheClient({ retryStrategy: noDelayRetries() }),
    );
    await driveTicks(sim, {
      overrides: () => ({ placements: withOwnGateway(sim.runtime.placements, snapshots) }),
      from: START,
      until: addMs(LAST_SLOT, 75 * MINUTE_MS),
      settleBy: addMs(LAST_SLOT, 6 * HOUR_MS),
      before: () => {
        if (emulator.pendingFaults(CREATE) > 0) return;
        const drops = Math.floor(draw() * (AFTER_EFFECT_DROPS_PER_TICK + 1));
        emulator.scriptFaults(
          CREATE,
          Array.from({ length: drops }, () => ({ kind: 'drop', afterEffect: true })),
        );
      },
    });
    emulator.clearFaults();
    totalCalls = emulator.calls.length;
    faultedCalls = emulator.calls.filter((call) => call.outcome !== 'ok').length;
    audit = auditSlots({
      expected: scheduledSlots(policies, new Date(START.getTime() - 1), LAST_SLOT),
      runs: await sim.allRuns(),
      calls: emulator.calls,
      snapshots: emulator.snapshots(),
    });
    printSummary('faults', {
      slots: audit.slots,
      duplicates: audit.duplicates.length,
      lost: audit.lost.length,
      retried: audit.retried,
      unresolved: audit.unresolved.length,
      'calls failed': `${faultedCalls}/${totalCalls}`,
      statuses: formatStatuses(audit.byStatus),
    });
  }, timeoutFor(120_000));

  afterAll(() => sim?.stop());

  it('covers at least 1,000 slots, with 30% of calls faulted (a fifth of those are latency spikes that succeed)', () => {
    expect(audit.slots).toBeGreaterThanOrEqual(1000 * SCALE);
    expect(faultedCalls / totalCalls).toBeGreaterThan(0.2);
    expect(faultedCalls / totalCalls).toBeLessThan(0.35);
    expect(audit.retried).toBeGreaterThan(0);
  });

  it('loses no slot: every slot of every schedule has exactly one run record', () => {
    expect(audit.lost).toEqual([]);
    expect(audit.unexpected).toEqual([]);
  });

  it('never creates a snapshot twice for one slot, and never calls Create again once one succeeded', () => {
    expect(audit.duplicates).toEqual([]);
    expect(audit.repeated).toEqual([]);
  });

  it('ends every run AVAILABLE or PRUNED, or FAILED, MISSED or SKIPPED with its reason', () => {
    expect(audit.unresolved).toEqual([]);
  });

  it('keeps the records and the snapshots in step: no snapshot the records lost, none recorded but absent', () => {
    expect(audit.orphans).toEqual([]);
    expect(audit.missingSnapshots).toEqual([]);
  });
});
