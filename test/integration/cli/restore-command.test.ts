import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '#lib/config';
import { createRuntime } from '#lib/runtime';
import { type LocalStack, startLocalStack } from '#local/stack';
import { policyOf } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { bundleCli, type CliBundle } from './support/cli-process';

const DEPLOYMENT = 'cache-snapshot-orchestrator-local';
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'];
const GROUPS = ['sg-0123456789abcdef0'];
const SNAPSHOT = 'orders-20260322-0400-1a2b3c4d';
const MANAGED = {
  'managed-by': 'cache-snapshot-orchestrator',
  'snapshot-policy-id': 'orders-hourly',
  'snapshot-slot': '2026-03-22T04:00:00.000Z',
};

/** `cache-snapshots restore`, the built CLI as a child process against the local stack (emulator on real time). */
describe('cache-snapshots restore', () => {
  let stack: LocalStack;
  let bundle: CliBundle;
  let names = 0;
  const newName = () => {
    names += 1;
    return `orders-copy-${names}`;
  };
  const cli = (...args: string[]) => bundle.run(['restore', ...args], { ...process.env, ...stack.env });
  const cacheNamed = (name: string) => stack.emulator.caches().find((cache) => cache.name === name);

  beforeAll(async () => {
    [stack, bundle] = await Promise.all([startLocalStack(), bundleCli()]);
    stack.emulator.seedCache({
      name: 'orders',
      engine: 'redis',
      majorEngineVersion: '7',
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
    });
    stack.emulator.seedSnapshot({
      name: SNAPSHOT,
      cacheName: 'orders',
      tags: { ...MANAGED, 'snapshot-orchestrator-deployment': DEPLOYMENT },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack.emulator.setCacheTimings({ creationMs: 2_000 });
  });

  it("restores into a new cache of the snapshot's engine and version, in the source cache's network, not a scratch cache", async () => {
    const name = newName();

    const result = await cli(SNAPSHOT, '--as', name);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `restoring ${SNAPSHOT} into ${name} (redis 7, subnets ${SUBNETS.join(',')}, security groups ${GROUPS[0]}): creating\n`,
    );
    expect(cacheNamed(name)).toMatchObject({
      engine: 'redis',
      majorEngineVersion: '7',
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
      restoredFrom: [stack.emulator.snapshots().find((s) => s.name === SNAPSHOT)?.arn],
      tags: { 'snapshot-orchestrator-restored-from': SNAPSHOT },
    });
  });

  it('with --wait reports progress until the cache is available', async () => {
    const name = newName();

    const result = await cli(SNAPSHOT, '--as', name, '--wait', '--poll', '1s');

    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/: creating$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\d+s: ${name} available$`));
    expect(cacheNamed(name)?.status).toBe('available');
  });

  it('with --wait and --json prints the available cache as JSON', async () => {
    const name = newName();

    const result = await bundle.run(['--json', 'restore', SNAPSHOT, '--as', name, '--wait', '--poll', '1s'], {
      ...process.env,
      ...stack.env,
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      cacheName: name,
      status: 'available',
      snapshotName: SNAPSHOT,
      engine: 'redis',
      majorEngineVersion: '7',
      subnetIds: SUBNETS,
      securityGroupIds: GROUPS,
      arn: `arn:aws:elasticache:us-east-1:123456789012:serverlesscache:${name}`,
    });
  });

  it('with --wait exits 1 when the restore ends create-failed', async () => {
    stack.emulator.failNextCacheCreations();
    const name = newName();

    const result = await cli(SNAPSHOT, '--as', name, '--wait', '--poll', '1s');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the restore failed: cache ${name} is create-failed`);
  });

  it('with --wait exits 1 after the timeout, leaving the cache to finish', async () => {
    stack.emulator.setCacheTimings({ creationMs: 3_600_000 });
    const name = newName();

    const result = await cli(SNAPSHOT, '--as', name, '--wait', '--poll', '1s', '--timeout', '2s');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`cache ${name} is still creating after \\ds; it was left as it is`),
    );
    expect(cacheNamed(name)?.status).toBe('creating');
  });

  it('takes the subnets and security groups given', async () => {
    const name = newName();

    const result = await cli(
      SNAPSHOT,
      '--as',
      name,
      '--subnet-ids',
      'subnet-0ffffffffffffff01,subnet-0ffffffffffffff02',
      '--security-group-ids',
      'sg-0ffffffffffffff03',
    );

    expect(result.code).toBe(0);
    expect(cacheNamed(name)).toMatchObject({
      subnetIds: ['subnet-0ffffffffffffff01', 'subnet-0ffffffffffffff02'],
      securityGroupIds: ['sg-0ffffffffffffff03'],
    });
  });

  it.each([
    [
      "another deployment's snapshot",
      { ...MANAGED, 'snapshot-orchestrator-deployment': 'cache-snapshot-orchestrator-prod' },
      `is deployment cache-snapshot-orchestrator-prod's, not one of ${DEPLOYMENT}'s`,
    ],
    ['a snapshot someone else made', { team: 'payments' }, 'is not made by cache-snapshot-orchestrator'],
    [
      'an untagged-deployment snapshot no run record names',
      MANAGED,
      'is not named by a run record of policy orders-hourly',
    ],
  ])('refuses %s', async (_, tags, reason) => {
    const snapshot = `foreign-${names}`;
    names += 1;
    stack.emulator.seedSnapshot({ name: snapshot, cacheName: 'orders', tags });

    const result = await cli(snapshot, '--as', newName());

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`snapshot ${snapshot} ${reason}`);
  });

  it('restores a snapshot from before deployment tags that a run record of this deployment names', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', stack.env.AWS_ENDPOINT_URL_DYNAMODB);
    const runtime = createRuntime(loadConfig(stack.env));
    const policy = policyOf({ policyId: 'legacy', cacheName: 'orders', schedule: 'rate(1 day)' });
    const run = claimedRunOf(policy, '2025-01-01T00:00:00.000Z', 'earlier-tick', '2025-01-01T00:00:00.000Z');
    await runtime.runs.create(run);
    vi.unstubAllEnvs();
    stack.emulator.seedSnapshot({
      name: run.snapshotName,
      cacheName: 'orders',
      tags: { ...MANAGED, 'snapshot-policy-id': 'legacy', 'snapshot-slot': run.slot },
    });

    const result = await cli(run.snapshotName, '--as', newName());

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('restores a snapshot of a deleted cache only into subnets given', async () => {
    stack.emulator.seedCache({ name: 'gone-soon', engine: 'valkey' });
    stack.emulator.seedSnapshot({
      name: 'gone-soon-snapshot',
      cacheName: 'gone-soon',
      tags: { ...MANAGED, 'snapshot-orchestrator-deployment': DEPLOYMENT },
    });
    stack.emulator.removeCache('gone-soon');

    const refused = await cli('gone-soon-snapshot', '--as', newName());
    const restored = await cli('gone-soon-snapshot', '--as', newName(), '--subnet-ids', SUBNETS[0] ?? '');

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cache gone-soon of snapshot gone-soon-snapshot no longer exists');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(
      '(valkey 8, subnets subnet-0a1b2c3d4e5f60718, security groups default)',
    );
  });

  it.each([
    [['no-such-snapshot', '--as', 'x-copy'], 'no snapshot no-such-snapshot'],
    [
      [SNAPSHOT, '--as', 'orders'],
      'ElastiCache refused to create cache orders: ServerlessCacheAlreadyExistsFault',
    ],
    [[SNAPSHOT, '--as', 'rt-mine'], "names starting with rt- are the restore tests' scratch caches"],
    [[SNAPSHOT, '--as', 'a'.repeat(41)], 'expected a cache name'],
    [[SNAPSHOT, '--as', 'x-copy', '--subnet-ids', 'vpc-1'], 'expected subnet ids'],
    [[SNAPSHOT, '--as', 'x-copy', '--wait', '--poll', 'soon'], 'expected a duration'],
  ])('refuses %j, saying why', async (args, reason) => {
    const result = await cli(...args);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(reason);
  });
});
