import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, toIso } from '#lib/clock';
import { SNAPSHOT_NAME_PATTERN } from '#lib/naming/snapshot-name';
import { parsePolicy } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import { slotsBetween } from '#lib/schedule/policy-slots';
import { Simulation } from '#local/simulation';
import { tagOf } from './support';

const START = new Date('2026-03-02T00:00:00.000Z');
const END = new Date(START.getTime() + 48 * HOUR_MS);
/** Ticks go on a while past END so that slots due by END, queued behind a busy cache, get their turn. */
const LAST_TICK = new Date(END.getTime() + 45 * MINUTE_MS);
const CACHES = ['alpha', 'beta', 'gamma'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'];

/** 50 policies on 3 caches: mostly daily at spread-out times, some every 12 hours (≤ 24 a day per cache). */
function fiftyPolicies(): PolicyItem[] {
  return Array.from({ length: 50 }, (_, i) => ({
    policyId: `policy-${String(i).padStart(2, '0')}`,
    cacheName: CACHES[i % 3] as string,
    schedule: i < 41 ? `cron(${(i * 7) % 60} ${(i * 5) % 24} * * ? *)` : 'rate(12 hours)',
    timezone: ZONES[i % 3] as string,
    tags: { team: `team-${i}`, tier: i < 41 ? 'daily' : 'half-day' },
    ...(i % 4 === 0 ? { kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/k-${i}` } : {}),
  }));
}

describe('fifty policies on three caches over 48 simulated hours', () => {
  let sim: Simulation;
  const policies = fiftyPolicies();

  beforeAll(async () => {
    sim = await Simulation.start({ start: START, emulator: { snapshotCompletionMs: 90_000 } });
    for (const name of CACHES) sim.stack.emulator.seedCache({ name });
    for (const policy of policies) await sim.putPolicy(policy);
    await sim.tickThrough(START, LAST_TICK, MINUTE_MS);
  }, 120_000);

  afterAll(() => sim?.stop());

  function creates() {
    return sim.stack.emulator.calls.filter((call) => call.action === 'CreateServerlessCacheSnapshot');
  }

  it('calls CreateServerlessCacheSnapshot exactly once per due (policy, slot)', async () => {
    const dueBy = (until: Date) =>
      policies.flatMap((item) => {
        const policy = parsePolicy(item);
        const slots = slotsBetween(policy, new Date(START.getTime() - 1), until, 1000);
        return slots.map((slot) => `${policy.policyId}@${toIso(slot)}`);
      });
    const created = creates().map(
      (call) => `${tagOf(call, 'snapshot-policy-id')}@${tagOf(call, 'snapshot-slot')}`,
    );
    expect(creates().every((call) => call.outcome === 'ok')).toBe(true);
    expect(new Set(created).size).toBe(created.length);
    const dueByEnd = dueBy(END);
    expect(dueByEnd.length).toBeGreaterThan(100);
    expect(created.filter((key) => key.split('@')[1]! <= toIso(END)).sort()).toEqual([...dueByEnd].sort());
    const dueAtAll = new Set(dueBy(LAST_TICK));
    expect(created.filter((key) => !dueAtAll.has(key))).toEqual([]);
  });

  it('gives every snapshot a unique name that matches the naming rule and fits in 255 characters', () => {
    const names = sim.stack.emulator.snapshots().map((snapshot) => snapshot.name);
    expect(names.length).toBe(creates().length);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(SNAPSHOT_NAME_PATTERN);
      expect(name.length).toBeLessThanOrEqual(255);
    }
  });

  it('passes the policy tags, the managed tags and the KMS key to the service', () => {
    for (const snapshot of sim.stack.emulator.snapshots()) {
      const policyId = snapshot.tags['snapshot-policy-id'];
      const item = policies.find((policy) => policy.policyId === policyId);
      expect(item, snapshot.name).toBeDefined();
      expect(snapshot.tags).toMatchObject({
        ...(item?.tags as object),
        'managed-by': 'cache-snapshot-orchestrator',
      });
      expect(snapshot.kmsKeyId).toBe(item?.kmsKeyId);
      expect(snapshot.cacheName).toBe(item?.cacheName);
    }
  });

  it('keeps one run record per Create call, matching it one to one', async () => {
    const runs = await sim.allRuns();
    const byName = new Map(runs.map((run) => [run.snapshotName, run]));
    const runsByEnd = runs.filter((run) => run.slot <= toIso(END));
    expect(
      runsByEnd.every((run) => run.attempts === 1 && ['AVAILABLE', 'REQUESTED'].includes(run.status)),
    ).toBe(true);
    expect(runs.filter((run) => run.attempts > 0)).toHaveLength(creates().length);
    for (const call of creates()) {
      const run = byName.get(String(call.params.ServerlessCacheSnapshotName));
      expect(run?.policyId).toBe(tagOf(call, 'snapshot-policy-id'));
      expect(run?.slot).toBe(tagOf(call, 'snapshot-slot'));
      expect(run?.attempts).toBe(1);
    }
  });
});
