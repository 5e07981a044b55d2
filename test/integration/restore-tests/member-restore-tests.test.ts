import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from '#local/simulation';
import {
  callsOf,
  MEMBER,
  minute,
  reconcileAt,
  restoreTestOf,
  simulationWithSnapshots,
  tickMinutes,
} from './support';

/** A restore test of a cache in a member account and region, through the local STS and the emulator's partitions. */
describe('a restore test in a member account and region on the local stack', () => {
  let sim: Simulation;
  beforeAll(async () => {
    sim = await simulationWithSnapshots(30, true);
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
});
