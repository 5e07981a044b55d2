import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placementOf } from '#lib/placements/placement';
import type { PolicyItem } from '#lib/policy/types';
import { newRunFor } from '#lib/runs/new-run';
import { available, claimedRun, requested } from '#lib/runs/transitions';
import { managedTags } from '#lib/snapshots/snapshot-gateway';
import type { Simulation } from '#local/simulation';
import { DENIED, roleOf } from '#test/integration/placements/accounts';
import { policyOf } from '#test/support/policy-builders';
import {
  callsOf,
  MEMBER,
  minute,
  reconcileAt,
  restoreTestOf,
  simulationWithSnapshots,
  TEST_SLOT,
  tickMinutes,
} from './support';

/** A policy on cache `orders` of the DENIED account, whose member role the local STS refuses. */
const DENIED_POLICY: PolicyItem = {
  policyId: 'denied',
  cacheName: 'orders',
  schedule: 'cron(0 * * * ? *)',
  restoreTest: { schedule: 'cron(0 4 * * ? *)', maxMinutes: 30 },
  account: DENIED,
  region: MEMBER.region,
};

/**
 * An AVAILABLE snapshot of the DENIED policy from the day before, when its role could still be assumed:
 * the snapshot in the emulator's DENIED partition and its run record, made through a tick's transitions.
 */
async function seedDeniedSnapshot(sim: Simulation): Promise<void> {
  const slot = new Date('2026-03-22T04:00:00.000Z');
  const deployment = sim.runtime.config.deploymentName;
  const policy = policyOf(DENIED_POLICY);
  const home = await sim.runtime.placements.home();
  const claimed = claimedRun(
    newRunFor(policy, slot, deployment, { ...home, ...placementOf(policy) }),
    'earlier-tick',
    slot,
    60_000,
  );
  const partition = sim.stack.emulator.partition(DENIED, MEMBER.region);
  partition.seedCache({ name: 'orders' });
  const snapshot = partition.seedSnapshot({
    name: claimed.snapshotName,
    cacheName: 'orders',
    createTime: slot,
    tags: managedTags({ deployment, policyId: policy.policyId, slot: claimed.slot }),
  });
  const info = { ...snapshot, status: 'available' as const };
  await sim.runtime.runs.create(available(requested(claimed, info, slot, 60_000), info, slot));
}

/** A restore test of a cache in a member account and region, through the local STS and the emulator's partitions. */
describe('a restore test in a member account and region on the local stack', () => {
  let sim: Simulation;
  beforeAll(async () => {
    sim = await simulationWithSnapshots(30, true);
    sim.stack.sts.denyAccount(DENIED);
    await seedDeniedSnapshot(sim);
    await sim.putPolicy(DENIED_POLICY);
    await reconcileAt(sim, minute(5));
    await tickMinutes(sim, minute(6), 12);
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('restores the member account’s snapshot there, is VERIFIED, and deletes the scratch cache there', async () => {
    const record = await restoreTestOf(sim);

    expect(record).toMatchObject({ status: 'VERIFIED', account: MEMBER.account, region: MEMBER.region });
    expect(record.snapshotName).toMatch(/^orders-20260323-0400-/);
    expect(record.cleanedUpAt).toBeDefined();
    const creates = callsOf(sim, 'CreateServerlessCache');
    const deletes = callsOf(sim, 'DeleteServerlessCache');
    expect(creates.map((call) => [call.accountId, call.params.ServerlessCacheName])).toEqual([
      [MEMBER.account, record.scratchCacheName],
    ]);
    expect(deletes.map((call) => call.accountId)).toEqual([MEMBER.account]);
    const member = sim.stack.emulator.partition(MEMBER.account, MEMBER.region);
    expect(member.caches().map((cache) => cache.name)).toEqual(['orders']);
    expect(sim.stack.emulator.caches()).toEqual([]);
  });

  it('in an account whose member role STS refuses, ends FAILED with AssumeRoleFailed in its first tick, closed, nothing created there', async () => {
    const record = await sim.runtime.restoreTests.get({
      policyId: 'denied',
      cacheName: 'orders',
      slot: TEST_SLOT,
    });

    expect(record).toMatchObject({
      status: 'FAILED',
      account: DENIED,
      attempts: 0,
      lastError: { code: 'AssumeRoleFailed' },
      updatedAt: minute(6).toISOString(),
    });
    expect(record?.cleanedUpAt).toBe(minute(6).toISOString());
    const refused = sim.stack.sts.calls.filter((call) => call.roleArn === roleOf(DENIED));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((call) => call.outcome !== 'ok')).toBe(true);
    expect(sim.stack.emulator.calls.filter((call) => call.accountId === DENIED)).toEqual([]);
    expect(
      sim.stack.emulator
        .partition(DENIED, MEMBER.region)
        .caches()
        .map((cache) => cache.name),
    ).toEqual(['orders']);
  });
});
