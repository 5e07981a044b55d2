import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '#lib/config';
import { parsePolicy } from '#lib/policy/parse-policy';
import { policyForTarget } from '#lib/policy/policy-for-target';
import type { CachePolicy } from '#lib/policy/types';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import { createRuntime, type Runtime } from '#lib/runtime';
import { type LocalStack, startLocalStack } from '#local/stack';
import { policyItem, policyOf } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { bundleCli, type CliBundle } from './support/cli-process';

/** `cache-snapshots restore-test`, the built CLI as a child process against the local stack (real time). */
describe('cache-snapshots restore-test', () => {
  let stack: LocalStack;
  let bundle: CliBundle;
  let runtime: Runtime;
  const cli = (...args: string[]) => bundle.run(['restore-test', ...args], { ...process.env, ...stack.env });

  /** Policy `policyId` on `cacheName` with one AVAILABLE snapshot of this deployment. */
  async function policyWithSnapshot(policyId: string, cacheName: string): Promise<string> {
    const item = policyItem(policyId, { cacheName });
    await runtime.policies.put(item);
    return targetWithSnapshot(policyOf(item));
  }

  /** The target (`policy` as it applies to its cache) with its cache (`tags`) and one AVAILABLE snapshot of it. */
  async function targetWithSnapshot(policy: CachePolicy, tags: Record<string, string> = {}): Promise<string> {
    const { cacheName } = policy;
    stack.emulator.seedCache({
      name: cacheName,
      subnetIds: ['subnet-0a1b2c3d4e5f60718'],
      tags,
    });
    const claimed = claimedRunOf(policy, '2026-03-22T04:00:00.000Z', 'tick', '2026-03-22T04:00:00.000Z');
    await runtime.runs.create({
      ...claimed,
      status: 'AVAILABLE',
      leaseOwner: undefined,
      leaseExpiresAt: undefined,
      nextCheckAt: undefined,
    });
    stack.emulator.seedSnapshot({ name: claimed.snapshotName, cacheName });
    return claimed.snapshotName;
  }

  beforeAll(async () => {
    [stack, bundle] = await Promise.all([startLocalStack(), bundleCli()]);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', stack.env.AWS_ENDPOINT_URL_DYNAMODB);
    runtime = createRuntime(loadConfig(stack.env));
    stack.emulator.setCacheTimings({ creationMs: 1_500, deletionMs: 500 });
  }, 120_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.stop();
  });

  it('with --wait restores the newest snapshot into a scratch cache, reports VERIFIED and has it deleted', async () => {
    const snapshot = await policyWithSnapshot('orders-hourly', 'orders');

    const result = await cli('orders-hourly', '--wait', '--poll', '1s', '--json');

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout) as RestoreTestRecord;
    expect(record).toMatchObject({
      kind: 'RESTORE_TEST',
      status: 'VERIFIED',
      snapshotName: snapshot,
      cacheName: 'orders',
    });
    expect(record.restoreSeconds).toBeGreaterThanOrEqual(1);
    expect(record.slot).toMatch(/:00\.000Z$/);
    const scratch = stack.emulator.caches().find((cache) => cache.name === record.scratchCacheName);
    expect(scratch === undefined || scratch.status === 'deleting').toBe(true);
    const deletes = stack.emulator.calls.filter((call) => call.action === 'DeleteServerlessCache');
    expect(deletes.map((call) => call.params.ServerlessCacheName)).toEqual([record.scratchCacheName]);
  });

  it('exits 1 with the reason when the restore fails, and refuses a second test of the target in flight', async () => {
    await policyWithSnapshot('billing-hourly', 'billing');
    stack.emulator.failNextCacheCreations(1);

    const failed = await cli('billing-hourly', '--wait', '--poll', '1s');

    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED from .* into rt-[0-9a-f]{16}: CreateFailed: /);
    expect(failed.stderr).toContain('the restore test FAILED: CreateFailed');
    const again = await cli('billing-hourly');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/still in flight|exists already/);
  });

  it('refuses a disabled policy, as snapshot does, and starts nothing', async () => {
    await runtime.policies.put(policyItem('orders-off', { cacheName: 'orders', enabled: false }));

    const result = await cli('orders-off');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no restore test started: the policy is disabled');
    const tests = [];
    for await (const test of runtime.restoreTests.listOfTarget('orders-off', 'orders')) tests.push(test);
    expect(tests).toEqual([]);
  });

  it('refuses a cache the policy does not cover', async () => {
    const result = await cli('orders-hourly', '--cache', 'billing');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('policy orders-hourly covers cache orders, not "billing"');
  });

  it('tests a targets policy’s ACTIVE target only: refuses a cache it tags as chosen but never enrolled, and a RETIRED one', async () => {
    const item = { policyId: 'gold', targets: { tags: { tier: 'gold' } }, schedule: 'rate(1 day)' };
    await runtime.policies.put({ ...item, state: 'ACTIVE' });
    const gold = parsePolicy(item);
    const at = new Date().toISOString();
    const snapshots = new Map<string, string>();
    for (const cacheName of ['gold-active', 'gold-unenrolled', 'gold-retired']) {
      snapshots.set(cacheName, await targetWithSnapshot(policyForTarget(gold, cacheName), { tier: 'gold' }));
      if (cacheName === 'gold-unenrolled') continue;
      await runtime.targets.table.enrol({ policyId: 'gold', cacheName, nextRunAt: at, enrolledAt: at });
    }
    await runtime.targets.table.retire(
      { policyId: 'gold', cacheName: 'gold-retired' },
      at,
      'the cache is being deleted',
    );

    const [unenrolled, retired] = await Promise.all([
      cli('gold', '--cache', 'gold-unenrolled'),
      cli('gold', '--cache', 'gold-retired'),
    ]);
    const active = await cli('gold', '--cache', 'gold-active', '--json');

    expect(unenrolled.code).toBe(1);
    expect(unenrolled.stderr).toContain(
      'cache "gold-unenrolled" is not a target of policy gold: never enrolled (',
    );
    expect(retired.code).toBe(1);
    expect(retired.stderr).toContain(
      `cache "gold-retired" is no longer a target of policy gold: RETIRED since ${at}: the cache is being deleted`,
    );
    expect(active.stderr).toBe('');
    expect(active.code).toBe(0);
    expect(JSON.parse(active.stdout)).toMatchObject({
      kind: 'RESTORE_TEST',
      policyId: 'gold',
      cacheName: 'gold-active',
      status: 'RESTORING',
      snapshotName: snapshots.get('gold-active'),
    });
    const restored = stack.emulator.calls.filter((call) => call.action === 'CreateServerlessCache');
    expect(JSON.stringify(restored.map((call) => call.params))).not.toMatch(/gold-(unenrolled|retired)/);
  });
});
