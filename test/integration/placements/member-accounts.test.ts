import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import { loadConfig } from '#lib/config';
import { AssumeRoleError } from '#lib/errors';
import type { Placement } from '#lib/placements/placement';
import { createRuntime, type Runtime } from '#lib/runtime';
import { type LocalStack, startLocalStack } from '#local/stack';
import { DENIED, EXTERNAL_ID, HOME, MEMBER, roleOf } from './accounts';

/**
 * The placement factory as the functions build it (createRuntime), against the local STS and the emulator
 * through the real SDK: endpoints only from AWS_ENDPOINT_URL_*, the member role assumed with the external ID,
 * caches kept per (account, region) by the emulator.
 */
const at = (account: string, region: string): Placement => ({ account, region });
const request = (cacheName: string) => ({
  snapshotName: `${cacheName}-20250301-0000-member01`,
  cacheName,
  kmsKeyId: undefined,
  tags: { 'managed-by': 'cache-snapshot-orchestrator' },
});

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
  for (const [name, value] of Object.entries(stack.env)) vi.stubEnv(name, value);
  stack.emulator.seedCache({ name: 'orders' });
  stack.emulator.partition(HOME, 'eu-west-1').seedCache({ name: 'reports' });
  stack.emulator.partition(MEMBER, 'us-east-1').seedCache({ name: 'billing' });
  stack.emulator.partition(MEMBER, 'eu-west-1').seedCache({ name: 'sessions' });
  stack.emulator.partition(DENIED, 'us-east-1').seedCache({ name: 'ledger' });
  for (const account of [MEMBER, DENIED]) {
    stack.sts.trustRole(roleOf(account), { externalId: EXTERNAL_ID, trustedAccounts: [HOME] });
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.stop();
});

function runtimeWith(env: Record<string, string> = { MEMBER_EXTERNAL_ID: EXTERNAL_ID }): Runtime {
  return createRuntime(loadConfig({ ...process.env, ...env }));
}

const assumeRoleCalls = () => stack.sts.calls.filter((call) => call.action === 'AssumeRole');

beforeEach(() => {
  stack.sts.resetCalls();
  stack.emulator.resetCalls();
});

describe('gateways per account and region on the local stack', () => {
  it('takes snapshots in the own account and a member account, in two regions each, assuming the member role once', async () => {
    const runtime = runtimeWith();
    const targets: [Placement, string][] = [
      [at(HOME, 'us-east-1'), 'orders'],
      [at(HOME, 'eu-west-1'), 'reports'],
      [at(MEMBER, 'us-east-1'), 'billing'],
      [at(MEMBER, 'eu-west-1'), 'sessions'],
    ];

    const created = await Promise.all(
      targets.map(([placement, cache]) =>
        runtime.placements.snapshots(placement).createSnapshot(request(cache)),
      ),
    );

    expect(created.map((snapshot) => snapshot.arn)).toEqual([
      `arn:aws:elasticache:us-east-1:${HOME}:serverlesscachesnapshot:orders-20250301-0000-member01`,
      `arn:aws:elasticache:eu-west-1:${HOME}:serverlesscachesnapshot:reports-20250301-0000-member01`,
      `arn:aws:elasticache:us-east-1:${MEMBER}:serverlesscachesnapshot:billing-20250301-0000-member01`,
      `arn:aws:elasticache:eu-west-1:${MEMBER}:serverlesscachesnapshot:sessions-20250301-0000-member01`,
    ]);
    expect(
      stack.emulator
        .partition(MEMBER, 'eu-west-1')
        .snapshots()
        .map((snapshot) => snapshot.cacheName),
    ).toEqual(['sessions']);
    expect(await runtime.placements.snapshots(at(HOME, 'us-east-1')).getCache('billing')).toBeUndefined();
    expect(assumeRoleCalls()).toEqual([
      expect.objectContaining({
        callerAccountId: HOME,
        roleArn: roleOf(MEMBER),
        externalId: EXTERNAL_ID,
        roleSessionName: 'cache-snapshot-orchestrator',
        outcome: 'ok',
      }),
    ]);
    expect(await runtime.placements.home()).toEqual({ account: HOME, region: 'us-east-1', partition: 'aws' });
  });

  it('fails a denied account with AssumeRoleFailed while the own and the other member account go on', async () => {
    const runtime = runtimeWith();
    stack.sts.denyAccount(DENIED);

    const outcomes = await Promise.allSettled([
      runtime.placements.snapshots(at(DENIED, 'us-east-1')).getCache('ledger'),
      runtime.placements.snapshots(at(MEMBER, 'us-east-1')).getCache('billing'),
      runtime.placements.snapshots(at(HOME, 'us-east-1')).getCache('orders'),
    ]);
    stack.sts.denyAccount(DENIED, false);

    const [denied, member, own] = outcomes;
    expect(denied?.status === 'rejected' ? denied.reason : denied).toBeInstanceOf(AssumeRoleError);
    expect(denied?.status === 'rejected' && denied.reason).toMatchObject({
      code: 'AssumeRoleFailed',
      stsCode: 'AccessDenied',
      faultClass: 'terminal',
      roleArn: roleOf(DENIED),
    });
    expect(member?.status === 'fulfilled' && member.value?.name).toBe('billing');
    expect(own?.status === 'fulfilled' && own.value?.name).toBe('orders');
    expect(stack.emulator.calls.map((call) => call.accountId)).not.toContain(DENIED);
  });

  it('fails every member call with AssumeRoleFailed, asking STS for nothing, when no external ID is deployed', async () => {
    const runtime = runtimeWith({ MEMBER_EXTERNAL_ID: '' });

    const error = await runtime.placements
      .snapshots(at(MEMBER, 'us-east-1'))
      .getCache('billing')
      .catch((caught: unknown) => caught);
    const own = await runtime.placements.snapshots(at(HOME, 'us-east-1')).getCache('orders');

    expect(error).toMatchObject({ code: 'AssumeRoleFailed', stsCode: 'MissingExternalId' });
    expect(own?.name).toBe('orders');
    expect(assumeRoleCalls()).toEqual([]);
  });
});

describe('member credentials over time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('assumes the role again five minutes before the credentials expire, so no call ever meets expired ones', async () => {
    // Date alone is faked: the SDK's own credential memo, the kept credentials and the local STS's expiry all
    // read it, while timers and sockets run for real.
    const start = new Date();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
    const runtime = runtimeWith();
    const member = runtime.placements.snapshots(at(MEMBER, 'eu-west-1'));
    const assumedAfter = async (minutes: number) => {
      vi.setSystemTime(start.getTime() + minutes * MINUTE_MS);
      expect((await member.getCache('sessions'))?.name).toBe('sessions');
      return assumeRoleCalls().length;
    };

    const counts = [
      await assumedAfter(0),
      await assumedAfter(54),
      await assumedAfter(56),
      await assumedAfter(61),
    ];

    expect(counts).toEqual([1, 1, 2, 2]);
    expect(stack.emulator.calls.map((call) => call.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const [first, second] = assumeRoleCalls();
    expect(second?.at.getTime()).toBe(start.getTime() + 56 * MINUTE_MS);
    expect(second?.accessKeyId).not.toBe(first?.accessKeyId);
  });
});
