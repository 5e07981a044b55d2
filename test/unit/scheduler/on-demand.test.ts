import { describe, expect, it } from 'vitest';
import { trackCompletions } from '#lib/lifecycle/completion';
import { applyRetention } from '#lib/lifecycle/retention';
import { newRunFor } from '#lib/runs/new-run';
import { type OnDemandResult, takeOnDemandSnapshot } from '#lib/scheduler/on-demand';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { seedAvailableRun } from '#test/support/run-builders';
import { SchedulerHarness, TEST_DEPLOYMENT } from '#test/support/scheduler-harness';

const NOW = '2025-03-01T10:17:42.500Z';
const MINUTE = '2025-03-01T10:17:00.000Z';
const NEXT_RUN = '2025-03-01T11:00:00.000Z';

async function harness(item = policyItem('orders-hourly')) {
  const h = new SchedulerHarness({ start: NOW });
  await putActivePolicy(h.policies, item, NEXT_RUN);
  return h;
}

function take(h: SchedulerHarness, overrides: { cacheName?: string; keep?: boolean; owner?: string } = {}) {
  const request = { policyId: 'orders-hourly', keep: false, owner: 'cli-a', ...overrides };
  return takeOnDemandSnapshot(h.deps, request);
}

/** A `--keep` snapshot taken now and complete (AVAILABLE through the tick's completion pass). */
async function keptAvailable(h: SchedulerHarness) {
  const kept = runOf(await take(h, { keep: true }));
  h.gateway.complete(kept.snapshotName, 1);
  await trackCompletions(h.deps, [kept]);
  return kept;
}

function runOf(result: OnDemandResult) {
  if (result.outcome === 'refused') throw new Error(`refused: ${result.reason}`);
  return result.run;
}

describe('on-demand snapshots', () => {
  it('takes a snapshot of the policy’s cache now: an ON_DEMAND run at the current minute, with the managed tags', async () => {
    const h = await harness();

    const result = await take(h);

    const run = runOf(result);
    expect(result.outcome).toBe('taken');
    expect(run).toMatchObject({ kind: 'ON_DEMAND', slot: MINUTE, cacheName: 'orders', status: 'REQUESTED' });
    expect(run).not.toHaveProperty('keep');
    const scheduledName = newRunFor(
      policyOf(policyItem('orders-hourly')),
      new Date(MINUTE),
      TEST_DEPLOYMENT,
      HOME,
    ).snapshotName;
    expect(run.snapshotName).not.toBe(scheduledName);
    expect(h.gateway.tagsOf(run.snapshotName)).toEqual({
      [MANAGED_TAGS.managedBy]: 'cache-snapshot-orchestrator',
      [MANAGED_TAGS.deployment]: TEST_DEPLOYMENT,
      [MANAGED_TAGS.policyId]: 'orders-hourly',
      [MANAGED_TAGS.slot]: MINUTE,
    });
    expect(await h.policies.get('orders-hourly')).toMatchObject({ nextRunAt: NEXT_RUN });
  });

  it('tags a --keep snapshot snapshot-orchestrator-keep = true and marks its run kept', async () => {
    const h = await harness(policyItem('orders-hourly', { tags: { team: 'payments' } }));

    const run = runOf(await take(h, { keep: true }));

    expect(run.keep).toBe(true);
    expect(h.gateway.tagsOf(run.snapshotName)).toMatchObject({
      team: 'payments',
      [MANAGED_TAGS.keep]: 'true',
    });
  });

  it('makes one snapshot when asked twice at the same moment: the second finds the first one’s run', async () => {
    const h = await harness();

    const results = await Promise.all([take(h, { owner: 'cli-a' }), take(h, { owner: 'cli-b' })]);

    expect(results.map((result) => result.outcome).sort()).toEqual(['already-taken', 'taken']);
    expect(runOf(results[0] as OnDemandResult).snapshotName).toBe(
      runOf(results[1] as OnDemandResult).snapshotName,
    );
    expect(h.gateway.count('createSnapshot')).toBe(1);
  });

  it('makes no second snapshot in flight on a busy cache: a durable retry that a later tick takes up', async () => {
    const h = await harness();
    h.gateway.seedSnapshot({ name: 'someone-else', cacheName: 'orders', status: 'creating' });

    const run = runOf(await take(h));

    expect(run).toMatchObject({ status: 'RETRYING', lastError: { code: 'CacheBusy' } });
    expect(h.gateway.count('createSnapshot')).toBe(0);
    h.gateway.complete('someone-else', 1);
    await h.tick(String(run.retryAt));
    expect(await h.run('orders-hourly', MINUTE, 'ON_DEMAND')).toMatchObject({ status: 'REQUESTED' });
    expect(h.gateway.count('createSnapshot', run.snapshotName)).toBe(1);
  });

  it('makes room on a quota fault by retention, like the tick, and never prunes a kept snapshot for it', async () => {
    const item = policyItem('orders-hourly', { retention: { maxCount: 2 } });
    const h = await harness(item);
    const kept = await keptAvailable(h);
    const older = await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-01T08:00:00.000Z');
    await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-01T09:00:00.000Z');
    h.gateway.failNext('createSnapshot', serviceFault('quota'));
    h.time.set('2025-03-01T11:30:00.000Z');

    const run = runOf(await take(h));

    expect(run.status).toBe('REQUESTED');
    expect(await h.run('orders-hourly', older.slot)).toMatchObject({ status: 'PRUNED' });
    expect(await h.run('orders-hourly', MINUTE, 'ON_DEMAND')).toMatchObject({
      status: 'AVAILABLE',
      keep: true,
    });
    expect(h.gateway.snapshot(kept.snapshotName)).toBeDefined();
  });

  it('refuses, naming the rule, for a deleted, invalid or disabled policy and for another cache', async () => {
    const h = await harness();
    await putActivePolicy(h.policies, policyItem('paused', { enabled: false }), NEXT_RUN);

    expect(await take(h, { cacheName: 'carts' })).toEqual({
      outcome: 'refused',
      reason: 'policy orders-hourly covers cache orders, not "carts"',
    });
    expect(await takeOnDemandSnapshot(h.deps, { policyId: 'nope', keep: false, owner: 'x' })).toEqual({
      outcome: 'refused',
      reason: 'the policy was deleted',
    });
    expect(await takeOnDemandSnapshot(h.deps, { policyId: 'paused', keep: false, owner: 'x' })).toEqual({
      outcome: 'refused',
      reason: 'the policy is disabled',
    });
    expect(h.gateway.count('createSnapshot')).toBe(0);
  });
});

describe('on-demand snapshots of a targets policy', () => {
  const targets = { tags: { tier: 'gold' } };

  /** `orders` an ACTIVE target; `carts` chosen by the selector (tagged gold) but never enrolled. */
  async function targetsHarness() {
    const h = new SchedulerHarness({ start: NOW, caches: [] });
    h.gateway.addCache('orders', { tags: { tier: 'gold' } });
    h.gateway.addCache('carts', { tags: { tier: 'gold' } });
    const { cacheName: _none, ...item } = policyItem('orders-hourly', { targets });
    await putActivePolicy(h.policies, item, NEXT_RUN);
    await h.targets.table.enrol({
      policyId: 'orders-hourly',
      cacheName: 'orders',
      nextRunAt: NEXT_RUN,
      enrolledAt: NOW,
    });
    return h;
  }

  it('needs --cache, and says so', async () => {
    const h = await targetsHarness();

    expect(await take(h)).toEqual({
      outcome: 'refused',
      reason: 'policy orders-hourly chooses its caches by targets: name one of its targets with --cache',
    });
  });

  it('takes a snapshot of an ACTIVE target, named after its cache', async () => {
    const h = await targetsHarness();

    const run = runOf(await take(h, { cacheName: 'orders' }));

    expect(run).toMatchObject({ cacheName: 'orders', kind: 'ON_DEMAND', status: 'REQUESTED' });
    expect(run.snapshotName).toMatch(/^orders-20250301-1017-[0-9a-f]{8}$/);
  });

  it('refuses a cache its selector chooses by its tags but not enrolled, and a RETIRED target, by the targets table', async () => {
    const h = await targetsHarness();

    const carts = await take(h, { cacheName: 'carts' });
    expect(carts.outcome === 'refused' && carts.reason).toMatch(
      /^cache "carts" is not a target of policy orders-hourly: never enrolled /,
    );
    await h.targets.table.retire(
      { policyId: 'orders-hourly', cacheName: 'orders' },
      NOW,
      'the cache is being deleted',
    );
    expect(await take(h, { cacheName: 'orders' })).toEqual({
      outcome: 'refused',
      reason: `cache "orders" is no longer a target of policy orders-hourly: RETIRED since ${NOW}: the cache is being deleted`,
    });
    expect(h.gateway.count('createSnapshot')).toBe(0);
  });
});

describe('retention and kept snapshots', () => {
  it('never deletes a kept snapshot, and does not count it against maxCount', async () => {
    const item = policyItem('orders-hourly', { retention: { maxCount: 1 } });
    const h = await harness(item);
    const kept = await keptAvailable(h);
    const seeded = await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-01T09:00:00.000Z');

    expect(await applyRetention(h.deps, policyOf(item))).toBe(0);
    expect(h.gateway.snapshot(kept.snapshotName)).toBeDefined();
    expect(h.gateway.snapshot(seeded.snapshotName)).toBeDefined();
    const newer = await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-19T09:00:00.000Z');
    h.time.set('2025-03-20T00:00:00.000Z');
    expect(await applyRetention(h.deps, policyOf({ ...item, retention: { maxAgeDays: 1 } }))).toBe(1);
    expect(h.gateway.snapshot(kept.snapshotName)).toBeDefined();
    expect(h.gateway.snapshot(seeded.snapshotName)).toBeUndefined();
    expect(h.gateway.snapshot(newer.snapshotName)).toBeDefined();
  });
});
