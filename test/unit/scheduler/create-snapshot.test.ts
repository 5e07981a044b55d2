import { describe, expect, it } from 'vitest';
import { newRunFor } from '#lib/runs/new-run';
import { managedTags } from '#lib/snapshots/snapshot-gateway';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { seedAvailableRun, testManagedTags } from '#test/support/run-builders';
import { SchedulerHarness, TEST_DEPLOYMENT } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const WINDOW_CLOSES = '2025-03-01T10:30:00.000Z';

async function duePolicy(item = policyItem('orders-hourly')) {
  const h = new SchedulerHarness({ start: SLOT });
  await putActivePolicy(h.policies, item, SLOT);
  return h;
}

function snapshotNameOf(item = policyItem('orders-hourly')): string {
  return newRunFor(policyOf(item), new Date(SLOT), TEST_DEPLOYMENT, HOME).snapshotName;
}

describe('creating a snapshot for a claimed run', () => {
  it('retries transient faults within the tick with jittered backoff and then succeeds', async () => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', serviceFault('transient'));
    h.gateway.failNext('createSnapshot', serviceFault('transient', 'InternalFailure'));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({ status: 'REQUESTED', attempts: 3 });
    expect(h.gateway.createRequests.map((request) => request.snapshotName)).toEqual([
      snapshotNameOf(),
      snapshotNameOf(),
      snapshotNameOf(),
    ]);
    expect(h.time.sleeps).toEqual([125, 250]);
  });

  it('turns transient faults that outlast the tick’s attempts into a durable retry within the window', async () => {
    const h = await duePolicy();
    for (let i = 0; i < 3; i += 1) h.gateway.failNext('createSnapshot', serviceFault('transient'));

    await h.tick(SLOT);

    const run = await h.requireRun('orders-hourly', SLOT);
    expect(run).toMatchObject({ status: 'RETRYING', attempts: 3, lastError: { code: 'Throttling' } });
    expect(run.retryAt).toBe('2025-03-01T10:07:30.375Z');
    expect(run.nextCheckAt).toBe(run.retryAt);
    expect(h.gateway.createRequests).toHaveLength(3);
  });

  it('treats an error that is not a service fault as transient', async () => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', new Error('socket hang up'));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({ status: 'REQUESTED', attempts: 2 });
  });

  it('records a busy cache as a durable retry and succeeds on the tick at retryAt', async () => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', serviceFault('busy'));

    await h.tick(SLOT);
    const waiting = await h.requireRun('orders-hourly', SLOT);
    await h.tick(waiting.retryAt ?? '');

    expect(waiting).toMatchObject({
      status: 'RETRYING',
      attempts: 1,
      retryAt: '2025-03-01T10:02:00.000Z',
      lastError: { code: 'InvalidServerlessCacheStateFault' },
    });
    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({ status: 'REQUESTED', attempts: 2 });
    expect(h.gateway.createRequests).toHaveLength(2);
  });

  it('does not retry a busy cache before retryAt', async () => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', serviceFault('busy'));
    await h.tick(SLOT);

    await h.tick('2025-03-01T10:01:00.000Z');

    expect(h.gateway.createRequests).toHaveLength(1);
    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('RETRYING');
  });

  it('on a quota fault prunes by retention and retries once in the same tick', async () => {
    const item = policyItem('orders-hourly', { retention: { maxCount: 2 } });
    const h = await duePolicy(item);
    const [oldest] = [
      await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-01T07:00:00.000Z'),
      await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-01T08:00:00.000Z'),
      await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-03-01T09:00:00.000Z'),
    ];
    h.gateway.failNext('createSnapshot', serviceFault('quota'));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({ status: 'REQUESTED', attempts: 2 });
    expect((await h.requireRun('orders-hourly', oldest.slot)).status).toBe('PRUNED');
    expect(h.gateway.snapshot(oldest.snapshotName)).toBeUndefined();
    expect(h.gateway.createRequests).toHaveLength(2);
  });

  it('on a quota fault with nothing to prune retries durably, then fails with the code once the window closes', async () => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', serviceFault('quota'));

    await h.tick(SLOT);
    const waiting = await h.requireRun('orders-hourly', SLOT);
    await h.tick('2025-03-01T10:31:00.000Z');
    const closed = await h.requireRun('orders-hourly', SLOT);

    expect(waiting).toMatchObject({
      status: 'RETRYING',
      lastError: { code: 'ServerlessCacheSnapshotQuotaExceededFault' },
    });
    expect(closed).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'ServerlessCacheSnapshotQuotaExceededFault' },
    });
    expect(h.gateway.createRequests).toHaveLength(1);
  });

  it('fails with the quota code when the next durable retry would come after the start window', async () => {
    const h = await duePolicy();
    let run = await (async () => {
      h.gateway.failNext('createSnapshot', serviceFault('quota'));
      await h.tick(SLOT);
      return h.requireRun('orders-hourly', SLOT);
    })();

    for (let tick = 0; run.status === 'RETRYING' && tick < 20; tick += 1) {
      h.gateway.failNext('createSnapshot', serviceFault('quota'));
      await h.tick(run.retryAt ?? '');
      run = await h.requireRun('orders-hourly', SLOT);
    }

    expect(run).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'ServerlessCacheSnapshotQuotaExceededFault' },
    });
    expect(run.updatedAt <= WINDOW_CLOSES).toBe(true);
    expect(h.gateway.createRequests.length).toBeGreaterThan(2);
  });

  it('fails at once, with the code, when the cache does not exist', async () => {
    const h = await duePolicy(policyItem('orders-hourly', { cacheName: 'gone' }));

    await h.tick(SLOT);

    const run = await h.requireRun('orders-hourly', SLOT);
    expect(run).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: { code: 'ServerlessCacheNotFoundFault' },
    });
    expect(run.expiresAt).toBeDefined();
    expect(h.gateway.createRequests).toHaveLength(1);
  });

  it.each([
    'InvalidParameterValue',
    'InvalidParameterCombination',
    'TagQuotaPerResourceExceeded',
    'ServiceLinkedRoleNotFoundFault',
  ])('fails at once, with the code, on the terminal fault %s', async (code) => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', serviceFault('terminal', code));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: { code },
    });
    expect(h.gateway.createRequests).toHaveLength(1);
    expect(h.time.sleeps).toEqual([]);
  });

  it('never ends a run FAILED on a terminal fault while an earlier Create of it took effect unseen and its snapshot is still creating', async () => {
    const h = await duePolicy();
    // The first Create went through but its answer was lost (a transient fault); the second answers a
    // terminal fault. The snapshot of the first is there, creating.
    const tags = testManagedTags('orders-hourly', SLOT);
    h.gateway.seedSnapshot({ name: snapshotNameOf(), cacheName: 'orders', status: 'creating', tags });
    h.gateway.failNext('createSnapshot', serviceFault('transient'));
    h.gateway.failNext('createSnapshot', serviceFault('terminal', 'InvalidParameterValue'));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({ status: 'REQUESTED', attempts: 2 });
    expect(h.gateway.createRequests).toHaveLength(2);
  });

  it('ends a run FAILED on a terminal fault after a lost Create when its snapshot was never made', async () => {
    const h = await duePolicy();
    h.gateway.failNext('createSnapshot', serviceFault('transient'));
    h.gateway.failNext('createSnapshot', serviceFault('terminal', 'InvalidParameterValue'));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'FAILED',
      attempts: 2,
      lastError: { code: 'InvalidParameterValue' },
    });
  });

  it('records success when our snapshot already exists on our cache and is available', async () => {
    const h = await duePolicy();
    h.gateway.seedSnapshot({
      name: snapshotNameOf(),
      cacheName: 'orders',
      status: 'available',
      bytesUsedForCache: 512,
      tags: testManagedTags('orders-hourly', SLOT),
    });

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'AVAILABLE',
      bytesUsedForCache: 512,
    });
  });

  it('records REQUESTED when our snapshot already exists on our cache and is still creating', async () => {
    const h = await duePolicy();
    const tags = testManagedTags('orders-hourly', SLOT);
    h.gateway.seedSnapshot({ name: snapshotNameOf(), cacheName: 'orders', status: 'creating', tags });

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'REQUESTED',
      snapshotArn: h.gateway.snapshot(snapshotNameOf())?.arn,
    });
  });

  it('fails when a snapshot of our name exists on another cache', async () => {
    const h = await duePolicy();
    h.gateway.addCache('sessions');
    h.gateway.seedSnapshot({ name: snapshotNameOf(), cacheName: 'sessions', status: 'available' });

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'ServerlessCacheSnapshotAlreadyExistsFault' },
    });
    expect(h.gateway.snapshot(snapshotNameOf())?.cacheName).toBe('sessions');
  });

  it.each([
    [
      'another deployment',
      managedTags({ deployment: 'cache-snapshot-orchestrator-qa', policyId: 'orders-hourly', slot: SLOT }),
      'taken by a snapshot made by another deployment of the orchestrator, "cache-snapshot-orchestrator-qa"',
    ],
    ['someone outside the orchestrator', { team: 'payments' }, 'not made by the orchestrator'],
    ['another policy', testManagedTags('orders-daily', SLOT), 'made for another policy, "orders-daily"'],
  ])('fails, saying whose it is, when our name on our cache is taken by %s', async (_whose, tags, says) => {
    const h = await duePolicy();
    h.gateway.seedSnapshot({ name: snapshotNameOf(), cacheName: 'orders', status: 'available', tags });

    await h.tick(SLOT);

    const run = await h.requireRun('orders-hourly', SLOT);
    expect(run).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'ServerlessCacheSnapshotAlreadyExistsFault' },
    });
    expect(run.lastError?.message).toContain(says);
    expect(h.gateway.tagsOf(snapshotNameOf())).toEqual(tags);
  });

  it('takes our name on our cache with this policy’s and slot’s tags but no deployment tag as ours (made before deployments were told apart)', async () => {
    const h = await duePolicy();
    const tags = testManagedTags('orders-hourly', SLOT, true);
    h.gateway.seedSnapshot({ name: snapshotNameOf(), cacheName: 'orders', status: 'available', tags });

    await h.tick(SLOT);

    expect((await h.requireRun('orders-hourly', SLOT)).status).toBe('AVAILABLE');
  });

  it('tags every snapshot with the deployment, the policy and the slot', async () => {
    const h = await duePolicy();

    await h.tick(SLOT);

    expect(h.gateway.tagsOf(snapshotNameOf())).toMatchObject({
      'managed-by': 'cache-snapshot-orchestrator',
      'snapshot-orchestrator-deployment': TEST_DEPLOYMENT,
      'snapshot-policy-id': 'orders-hourly',
      'snapshot-slot': SLOT,
    });
  });
});
