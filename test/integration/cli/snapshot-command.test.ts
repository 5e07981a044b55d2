import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '#lib/config';
import { available, requested } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { createRuntime, type Runtime } from '#lib/runtime';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { type LocalStack, startLocalStack } from '#local/stack';
import { policyItem, policyOf } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { bundleCli, type CliBundle } from './support/cli-process';

const DEPLOYMENT = 'cache-snapshot-orchestrator-local';
const TOMORROW = new Date(Date.now() + 86_400_000).toISOString();

/** `cache-snapshots snapshot`, the built CLI as child processes against the local stack (emulator on real time). */
describe('cache-snapshots snapshot', () => {
  let stack: LocalStack;
  let bundle: CliBundle;
  let runtime: Runtime;
  const cli = (...args: string[]) => bundle.run(['snapshot', ...args], { ...process.env, ...stack.env });
  const snapshotsOf = (cacheName: string) =>
    stack.emulator.snapshots().filter((snapshot) => snapshot.cacheName === cacheName);
  const onDemandRuns = async (policyId: string) => {
    const runs: RunRecord[] = [];
    for await (const run of runtime.runs.listByPolicy(policyId)) if (run.kind === 'ON_DEMAND') runs.push(run);
    return runs;
  };

  beforeAll(async () => {
    [stack, bundle] = await Promise.all([startLocalStack(), bundleCli()]);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', stack.env.AWS_ENDPOINT_URL_DYNAMODB);
    vi.stubEnv('AWS_ENDPOINT_URL_ELASTICACHE', stack.env.AWS_ENDPOINT_URL_ELASTICACHE);
    runtime = createRuntime(loadConfig(stack.env));
    for (const name of ['orders', 'carts']) stack.emulator.seedCache({ name });
    // Each chosen by gold's selector by its tags; only the table says which is its ACTIVE target.
    for (const name of ['gold-active', 'gold-unenrolled', 'gold-retired']) {
      stack.emulator.seedCache({ name, tags: { tier: 'gold' } });
    }
    stack.emulator.setSnapshotCompletionMs(1_500);
    await runtime.policies.put({ ...policyItem('orders-hourly'), state: 'ACTIVE' });
    await runtime.policies.put({
      policyId: 'gold',
      targets: { tags: { tier: 'gold' } },
      schedule: 'rate(1 day)',
      state: 'ACTIVE',
    });
    const enrolledAt = new Date().toISOString();
    for (const cacheName of ['gold-active', 'gold-retired']) {
      await runtime.targets.table.enrol({ policyId: 'gold', cacheName, nextRunAt: TOMORROW, enrolledAt });
    }
    await runtime.targets.table.retire(
      { policyId: 'gold', cacheName: 'gold-retired' },
      enrolledAt,
      'no longer chosen by the selector (test)',
    );
  }, 120_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.stop();
  });

  it('makes one snapshot when run twice at the same moment: the second reports the first one’s', async () => {
    // Both processes must start within one minute: keep clear of the minute's end.
    const second = new Date().getUTCSeconds();
    if (second > 40) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));

    const results = await Promise.all([cli('orders-hourly', '--keep'), cli('orders-hourly', '--keep')]);

    expect(results.map((result) => result.code)).toEqual([0, 0]);
    const lines = results.map((result) => result.stdout.trim()).sort();
    expect(lines[0]).toMatch(
      /^already asked for this minute by another command: snapshot orders-\d{8}-\d{4}-[0-9a-f]{8} of cache orders \(policy orders-hourly, on demand, kept\): (REQUESTED|being requested)$/,
    );
    expect(lines[1]).toMatch(
      /^snapshot orders-\d{8}-\d{4}-[0-9a-f]{8} of cache orders \(policy orders-hourly, on demand, kept\): REQUESTED$/,
    );
    const snapshots = snapshotsOf('orders');
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.tags).toMatchObject({
      [MANAGED_TAGS.managedBy]: 'cache-snapshot-orchestrator',
      [MANAGED_TAGS.policyId]: 'orders-hourly',
      [MANAGED_TAGS.keep]: 'true',
    });
    expect(await onDemandRuns('orders-hourly')).toMatchObject([
      { kind: 'ON_DEMAND', keep: true, status: 'REQUESTED', snapshotName: snapshots[0]?.name },
    ]);
  }, 60_000);

  it('with --wait follows it to AVAILABLE, runs retention (sparing the kept snapshot) and publishes ON_DEMAND events', async () => {
    const policy = policyOf(policyItem('carts-daily', { cacheName: 'carts', retention: { maxCount: 1 } }));
    await runtime.policies.put({
      ...policyItem('carts-daily', { cacheName: 'carts', retention: { maxCount: 1 } }),
      state: 'ACTIVE',
    });
    const seeded = [];
    for (const slot of ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']) {
      // In the stack's own account and region (the run builders' HOME is the unit tests' fake account).
      const where = { account: stack.emulator.accountId, region: stack.emulator.region };
      const claimed = { ...claimedRunOf(policy, slot, 'earlier-tick', slot), ...where };
      const snapshot = stack.emulator.seedSnapshot({
        name: claimed.snapshotName,
        cacheName: 'carts',
        tags: {
          'managed-by': 'cache-snapshot-orchestrator',
          'snapshot-policy-id': 'carts-daily',
          'snapshot-slot': slot,
          'snapshot-orchestrator-deployment': DEPLOYMENT,
        },
      });
      const info = await runtime.snapshots.getSnapshot(snapshot.name);
      if (!info) throw new Error(`seeded snapshot ${snapshot.name} not found`);
      const run = available(requested(claimed, info, new Date(slot), 60_000), info, new Date(slot));
      await runtime.runs.create(run);
      seeded.push(run);
    }

    const result = await cli('carts-daily', '--keep', '--wait', '--poll', '1s');

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/: REQUESTED$/);
    expect(lines.at(-1)).toMatch(
      /^\d+s: snapshot carts-\d{8}-\d{4}-[0-9a-f]{8} of cache carts \(policy carts-daily, on demand, kept\): AVAILABLE$/,
    );
    const [kept] = await onDemandRuns('carts-daily');
    expect(kept).toMatchObject({ status: 'AVAILABLE', keep: true });
    const names = snapshotsOf('carts')
      .map((snapshot) => snapshot.name)
      .sort();
    expect(names).toEqual([seeded[1]?.snapshotName, kept?.snapshotName].sort());
    const events = stack.eventBridge.events().filter((event) => event.detail.policyId === 'carts-daily');
    expect(
      events.filter((event) => event.detail.kind === 'ON_DEMAND').map((event) => event.detail.status),
    ).toEqual(['REQUESTED', 'AVAILABLE']);
  }, 60_000);

  it('copies the cache’s own tags with copyCacheTags, through ListTagsForResource on the cache', async () => {
    stack.emulator.seedCache({
      name: 'tagged',
      tags: { team: 'checkout', 'aws:cloudformation:stack-name': 'shop', 'managed-by': 'someone' },
    });
    const item = policyItem('tagged-hourly', {
      cacheName: 'tagged',
      copyCacheTags: true,
      tags: { tier: 'gold' },
    });
    await runtime.policies.put({ ...item, state: 'ACTIVE' });

    const result = await cli('tagged-hourly');

    expect(result.code).toBe(0);
    expect(snapshotsOf('tagged').map((snapshot) => snapshot.tags)).toEqual([
      {
        team: 'checkout',
        tier: 'gold',
        'managed-by': 'cache-snapshot-orchestrator',
        'snapshot-orchestrator-deployment': DEPLOYMENT,
        'snapshot-policy-id': 'tagged-hourly',
        'snapshot-slot': expect.stringMatching(/:00\.000Z$/),
      },
    ]);
  }, 30_000);

  it('refuses a targets policy without --cache, naming the rule, and takes nothing', async () => {
    const result = await cli('gold');

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'cache-snapshots: error: no snapshot taken: policy gold chooses its caches by targets: name one of its targets with --cache\n',
    );
    expect(await onDemandRuns('gold')).toEqual([]);
  }, 30_000);

  it('takes a snapshot of a targets policy’s ACTIVE target only: refuses a cache it tags as chosen but never enrolled, and a RETIRED one', async () => {
    const [unenrolled, retired] = await Promise.all([
      cli('gold', '--cache', 'gold-unenrolled'),
      cli('gold', '--cache', 'gold-retired'),
    ]);
    const active = await cli('gold', '--cache', 'gold-active');

    expect(unenrolled.code).toBe(1);
    expect(unenrolled.stderr).toContain(
      'no snapshot taken: cache "gold-unenrolled" is not a target of policy gold: never enrolled (',
    );
    expect(retired.code).toBe(1);
    expect(retired.stderr).toMatch(
      /no snapshot taken: cache "gold-retired" is no longer a target of policy gold: RETIRED since \S+: no longer chosen by the selector \(test\)\n$/,
    );
    expect(active.stderr).toBe('');
    expect(active.code).toBe(0);
    expect(active.stdout).toMatch(
      /^snapshot gold-active-\d{8}-\d{4}-[0-9a-f]{8} of cache gold-active \(policy gold, on demand\): REQUESTED\n$/,
    );
    expect((await onDemandRuns('gold')).map((run) => run.cacheName)).toEqual(['gold-active']);
    expect([...snapshotsOf('gold-unenrolled'), ...snapshotsOf('gold-retired')]).toEqual([]);
  }, 30_000);
});
