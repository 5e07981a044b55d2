import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC, metrics } from '#lib/observability';
import type { RunRecord } from '#lib/runs/types';
import { Simulation } from '#local/simulation';
import { DENIED, EXTERNAL_ID, HOME, MEMBER, roleOf } from './accounts';

/**
 * The tick as deployed (createRuntime's placements, the real SDK) on the local stack: policies in the own
 * account and a member account, in two regions, and one in an account whose member role refuses AssumeRole.
 */
const SLOT = new Date('2026-03-23T10:00:00.000Z');

const POLICIES = [
  { policyId: 'own-orders', cacheName: 'orders' },
  { policyId: 'own-eu-orders', cacheName: 'orders', region: 'eu-west-1' },
  { policyId: 'member-orders', cacheName: 'orders', account: MEMBER },
  { policyId: 'member-eu-orders', cacheName: 'orders', account: MEMBER, region: 'eu-west-1' },
  { policyId: 'denied-orders', cacheName: 'orders', account: DENIED },
];

let sim: Simulation;
let runs: Map<string, RunRecord>;
let failures: number;

beforeAll(async () => {
  sim = await Simulation.start({
    start: new Date(SLOT.getTime() - 3_600_000),
    memberExternalId: EXTERNAL_ID,
  });
  const { emulator, sts } = sim.stack;
  for (const [account, region] of [
    [HOME, 'us-east-1'],
    [HOME, 'eu-west-1'],
    [MEMBER, 'us-east-1'],
    [MEMBER, 'eu-west-1'],
    [DENIED, 'us-east-1'],
  ] as const) {
    emulator.partition(account, region).seedCache({ name: 'orders' });
  }
  sts.trustRole(roleOf(MEMBER), { externalId: EXTERNAL_ID, trustedAccounts: [HOME] });
  // DENIED's role exists and trusts the orchestrator, but the account refuses every AssumeRole.
  sts.trustRole(roleOf(DENIED), { externalId: EXTERNAL_ID, trustedAccounts: [HOME] });
  sts.denyAccount(DENIED);
  const added = vi.spyOn(metrics, 'addMetric');
  // Policy sync cannot look into DENIED either: it activates the policy anyway (the runs record the fault).
  for (const policy of POLICIES) {
    await sim.putPolicy({ ...policy, schedule: 'cron(0 * * * ? *)', startWindowMinutes: 30 });
  }
  await sim.tick(SLOT);
  failures = added.mock.calls
    .filter(([name]) => name === METRIC.AssumeRoleFailures)
    .reduce((sum, [, , value]) => sum + Number(value), 0);
  added.mockRestore();
  runs = new Map((await sim.allRuns()).map((run) => [run.policyId, run]));
}, 60_000);

afterAll(() => sim?.stop());

describe('one tick across accounts and regions on the local stack', () => {
  it('takes each policy’s snapshot in its own account and region, and records them on the run', () => {
    for (const [policyId, account, region] of [
      ['own-orders', HOME, 'us-east-1'],
      ['own-eu-orders', HOME, 'eu-west-1'],
      ['member-orders', MEMBER, 'us-east-1'],
      ['member-eu-orders', MEMBER, 'eu-west-1'],
    ] as const) {
      const run = runs.get(policyId);
      expect(run).toMatchObject({ status: 'REQUESTED', account, region });
      const held = sim.stack.emulator.partition(account, region).snapshots();
      expect(held.map((snapshot) => snapshot.name)).toEqual([run?.snapshotName]);
      expect(held[0]?.arn).toContain(`:elasticache:${region}:${account}:serverlesscachesnapshot:`);
    }
  });

  it('fails the denied account’s run with AssumeRoleFailed, counted on the alarm’s metric, and nothing else', () => {
    expect(runs.get('denied-orders')).toMatchObject({
      status: 'FAILED',
      account: DENIED,
      region: 'us-east-1',
      lastError: { code: 'AssumeRoleFailed', message: expect.stringContaining(roleOf(DENIED)) },
    });
    expect(sim.stack.emulator.partition(DENIED, 'us-east-1').snapshots()).toEqual([]);
    expect(sim.stack.emulator.calls.map((call) => call.accountId)).not.toContain(DENIED);
    expect(failures).toBeGreaterThanOrEqual(1);
  });

  it('finds every run’s snapshot available a tick later, in its own placement', async () => {
    await sim.tick(new Date(SLOT.getTime() + 10 * 60_000));

    const statuses = Object.fromEntries((await sim.allRuns()).map((run) => [run.policyId, run.status]));
    expect(statuses).toEqual({
      'own-orders': 'AVAILABLE',
      'own-eu-orders': 'AVAILABLE',
      'member-orders': 'AVAILABLE',
      'member-eu-orders': 'AVAILABLE',
      'denied-orders': 'FAILED',
    });
  });
});
