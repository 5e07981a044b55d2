import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Call } from '#local/s3/index';
import type { Simulation } from '#local/simulation';
import { EXTERNAL_ID, MEMBER, roleOf } from '#test/integration/placements/accounts';
import {
  exportingPolicy,
  exportSimulation,
  exportSummary,
  hoursLater,
  keysIn,
  runsOf,
  START,
  TICK_MS,
} from './support';

/** The key the emulator's ElastiCache signs its export writes with (local/emulator/exports/export-target.ts). */
const ELASTICACHE_KEY = 'elasticache-export';

/**
 * A cache in a member account exporting with a replica: the bucket check, the export's tagging and the
 * replica copy go to S3 on the member role's credentials, which the local STS issued (real SDK throughout).
 * The local S3 (s3rver behind its front) keeps no per-account buckets: what is asserted is the objects in
 * both buckets, the run's REPLICATED export, and the key and account every orchestrator request was signed with.
 */
describe('an export of a member account’s cache on the local stack', () => {
  let sim: Simulation;
  /** The local S3's requests up to the last tick (before the tests' own listings). */
  let s3Calls: readonly S3Call[];
  beforeAll(async () => {
    sim = await exportSimulation(
      { 'member-exports': 'eu-west-1', 'member-dr': 'us-east-1' },
      { memberExternalId: EXTERNAL_ID },
    );
    const { emulator, sts } = sim.stack;
    sts.trustRole(roleOf(MEMBER), { externalId: EXTERNAL_ID, trustedAccounts: [emulator.accountId] });
    emulator.partition(MEMBER, 'eu-west-1').seedCache({ name: 'orders', bytesUsed: 4096 });
    const exportMap = { bucket: 'member-exports', replicateTo: { bucket: 'member-dr', region: 'us-east-1' } };
    await sim.putPolicy(
      exportingPolicy('member-hourly', exportMap, { account: MEMBER, region: 'eu-west-1' }),
    );
    await sim.tickThrough(START, hoursLater(0.75), TICK_MS);
    s3Calls = [...(sim.stack.s3?.calls ?? [])];
  }, 60_000);
  afterAll(() => sim?.stop());

  it('exports the snapshot into the bucket, copies it to the replica bucket and records REPLICATED', async () => {
    expect(await sim.runtime.policies.get('member-hourly')).toMatchObject({ state: 'ACTIVE' });
    const runs = await runsOf(sim, 'member-hourly');

    expect(exportSummary(runs)).toEqual(['00:00 REPLICATED']);
    expect(runs[0]).toMatchObject({ account: MEMBER, region: 'eu-west-1' });
    const key = `${runs[0]?.snapshotName}-0001.rdb`;
    expect(runs[0]?.export).toMatchObject({ bucket: 'member-exports', key });
    expect(await keysIn(sim, 'member-exports')).toEqual([key]);
    expect(await keysIn(sim, 'member-dr')).toEqual([key]);
    expect(sim.stack.emulator.exports().map((made) => [made.accountId, made.region, made.bucket])).toEqual([
      [MEMBER, 'eu-west-1', 'member-exports'],
    ]);
  });

  it('signs every S3 request of the orchestrator with the member role’s credentials from the local STS', async () => {
    const issued = sim.stack.sts.calls
      .filter((call) => call.roleArn === roleOf(MEMBER) && call.outcome === 'ok')
      .map((call) => call.accessKeyId);
    const ours = s3Calls.filter((call) => call.accessKeyId !== ELASTICACHE_KEY);

    expect(issued.length).toBeGreaterThan(0);
    expect(ours.filter((call) => !issued.includes(call.accessKeyId) || call.accountId !== MEMBER)).toEqual(
      [],
    );
    const copies = ours.filter((call) => call.bucket === 'member-dr' && call.copySource !== undefined);
    expect(copies.map((call) => call.copySource)).toEqual([
      expect.stringContaining(`member-exports/${(await runsOf(sim, 'member-hourly'))[0]?.snapshotName}`),
    ]);
    expect(ours.some((call) => call.bucket === 'member-exports' && call.query.includes('tagging'))).toBe(
      true,
    );
    expect(ours.some((call) => call.bucket === 'member-exports' && call.query.includes('location'))).toBe(
      true,
    );
  });
});
