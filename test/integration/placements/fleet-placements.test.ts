import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlacedCoverage } from '#lib/fleet/read-coverage';
import { reconcilePolicies } from '#lib/sync/reconcile';
import type { TargetRecord } from '#lib/targets/types';
import { Simulation } from '#local/simulation';
import { DENIED, EXTERNAL_ID, HOME, MEMBER, roleOf } from './accounts';

/**
 * Targets policies naming a member account and region, on the local stack through the real SDK (the local
 * STS, the emulator keeping caches per account and region): discovery there through the member role, the
 * tick's snapshots there, coverage of every placement, and an account whose role cannot be assumed.
 */
const SLOT = new Date('2026-03-23T10:00:00.000Z');
const GOLD = { schedule: 'cron(0 * * * ? *)', startWindowMinutes: 30, targets: { tags: { tier: 'gold' } } };

let sim: Simulation;
const targetsOf = async (policyId: string) => {
  const found: TargetRecord[] = [];
  for await (const target of sim.runtime.targets.table.listByPolicy(policyId)) found.push(target);
  return found;
};

beforeAll(async () => {
  sim = await Simulation.start({
    start: new Date(SLOT.getTime() - 3_600_000),
    memberExternalId: EXTERNAL_ID,
  });
  const { emulator, sts } = sim.stack;
  emulator.seedCache({ name: 'orders', tags: { tier: 'gold' } });
  emulator.partition(MEMBER, 'eu-west-1').seedCache({ name: 'ledger', tags: { tier: 'gold' } });
  emulator.partition(MEMBER, 'eu-west-1').seedCache({ name: 'orders', tags: { tier: 'silver' } });
  emulator.partition(DENIED, 'us-east-1').seedCache({ name: 'billing', tags: { tier: 'gold' } });
  for (const account of [MEMBER, DENIED]) {
    sts.trustRole(roleOf(account), { externalId: EXTERNAL_ID, trustedAccounts: [HOME] });
  }
  sts.denyAccount(DENIED);
  await sim.putPolicy({ policyId: 'member-gold', ...GOLD, account: MEMBER, region: 'eu-west-1' });
  await sim.putPolicy({ policyId: 'denied-gold', ...GOLD, account: DENIED });
}, 60_000);

afterAll(() => sim?.stop());

describe('a targets policy in a member account and region on the local stack', () => {
  it('enrols the caches it chooses there, with the account and region, and none of the own account', async () => {
    expect((await targetsOf('member-gold')).map((t) => [t.cacheName, t.state, t.account, t.region])).toEqual([
      ['ledger', 'ACTIVE', MEMBER, 'eu-west-1'],
    ]);
  });

  it('says on the denied account’s policy that its caches could not be listed, and enrols nothing', async () => {
    const item = await sim.runtime.policies.get('denied-gold');

    expect(item?.stateReason).toMatch(
      new RegExp(`^warning: targets: the caches of account ${DENIED} in the same region could not be listed`),
    );
    expect(await targetsOf('denied-gold')).toEqual([]);
  });

  it('takes the target’s snapshot in the member account and region at its slot', async () => {
    await sim.tick(SLOT);

    const runs = (await sim.allRuns()).filter(
      (run) => run.policyId === 'member-gold' && run.slot === SLOT.toISOString(),
    );
    expect(runs).toMatchObject([
      { cacheName: 'ledger', status: 'REQUESTED', account: MEMBER, region: 'eu-west-1' },
    ]);
    const held = sim.stack.emulator.partition(MEMBER, 'eu-west-1').snapshots();
    expect(held.map((snapshot) => snapshot.name)).toEqual([runs[0]?.snapshotName]);
  });

  it('reconciles the reachable placements and lists coverage per account and region, the denied one as a warning', async () => {
    sim.stack.emulator.partition(MEMBER, 'eu-west-1').seedCache({ name: 'journal', tags: { tier: 'gold' } });

    const summary = await reconcilePolicies(sim.reconcileDeps());
    const { rows, warnings } = await readPlacedCoverage(sim.runtime);

    expect(summary).toMatchObject({ targetsEnrolled: 1, placementsUnlisted: 1, unprotectedCaches: 2 });
    expect(rows.map((row) => [row.account, row.region, row.cacheName, row.status])).toEqual([
      [HOME, 'us-east-1', 'orders', 'UNPROTECTED'],
      [MEMBER, 'eu-west-1', 'journal', 'PROTECTED'],
      [MEMBER, 'eu-west-1', 'ledger', 'PROTECTED'],
      [MEMBER, 'eu-west-1', 'orders', 'UNPROTECTED'],
    ]);
    expect(warnings).toEqual([
      { policyId: 'denied-gold', message: expect.stringContaining(`account ${DENIED} in region us-east-1`) },
    ]);
  });
});
