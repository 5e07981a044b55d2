import { describe, expect, it } from 'vitest';
import { trackCompletions } from '#lib/lifecycle/completion';
import { cacheKey } from '#lib/placements/placement';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { seedAvailableRun } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

/** The key completion reports a cache of the own placement by. */
const ownCache = (name: string) => cacheKey(HOME, name);

const SLOT = '2025-03-01T10:00:00.000Z';
const DAILY = policyItem('orders-daily', { schedule: 'cron(0 10 * * ? *)' });

/** A daily policy whose 10:00 slot a tick has requested (its snapshot `creating`). */
async function requestedSlot(item = DAILY) {
  const h = new SchedulerHarness({ start: SLOT });
  await putActivePolicy(h.policies, item, SLOT);
  await h.tick(SLOT);
  const run = await h.requireRun(item.policyId, SLOT);
  expect(run.status).toBe('REQUESTED');
  return { h, run };
}

describe('completion tracking', () => {
  it('records an available snapshot AVAILABLE with its size', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.complete(run.snapshotName, 2_048);

    await h.tick('2025-03-01T10:02:00.000Z');

    expect(await h.requireRun('orders-daily', SLOT)).toMatchObject({
      status: 'AVAILABLE',
      bytesUsedForCache: 2_048,
      completedAt: '2025-03-01T10:02:00.000Z',
    });
  });

  it('leaves a run REQUESTED while its snapshot is still creating', async () => {
    const { h } = await requestedSlot();

    await h.tick('2025-03-01T10:02:00.000Z');

    const run = await h.requireRun('orders-daily', SLOT);
    expect(run.status).toBe('REQUESTED');
    expect(h.gateway.count('listSnapshots', 'orders')).toBe(1);
  });

  it('gives a snapshot missing from the listing a grace period before calling it vanished', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.removeSnapshot(run.snapshotName);

    await h.tick('2025-03-01T10:01:00.000Z');
    const during = await h.requireRun('orders-daily', SLOT);
    await h.tick('2025-03-01T10:03:00.000Z');
    const after = await h.requireRun('orders-daily', SLOT);

    expect(during.status).toBe('REQUESTED');
    expect(after).toMatchObject({ status: 'FAILED', lastError: { code: 'SnapshotVanished' } });
    expect(after.expiresAt).toBeDefined();
  });

  it('never fails a run whose snapshot is still creating, even past the completion timeout', async () => {
    const { h } = await requestedSlot();

    await h.tick('2025-03-01T16:01:00.000Z');
    await h.tick('2025-03-02T10:00:00.000Z');

    expect((await h.requireRun('orders-daily', SLOT)).status).toBe('REQUESTED');
  });

  it('records a snapshot in another state past the completion timeout FAILED CompletionTimeout', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.setStatus(run.snapshotName, 'failed');

    await h.tick('2025-03-01T15:59:00.000Z');
    const before = await h.requireRun('orders-daily', SLOT);
    await h.tick('2025-03-01T16:01:00.000Z');
    const after = await h.requireRun('orders-daily', SLOT);

    expect(before.status).toBe('REQUESTED');
    expect(after).toMatchObject({ status: 'FAILED', lastError: { code: 'CompletionTimeout' } });
    expect(after.lastError?.message).toMatch(/still failed/);
  });

  it('records a snapshot someone is deleting before it was seen available GONE, noticed by completion', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.setStatus(run.snapshotName, 'deleting');

    await h.tick('2025-03-01T10:01:00.000Z');

    expect(await h.requireRun('orders-daily', SLOT)).toMatchObject({
      status: 'GONE',
      goneAt: '2025-03-01T10:01:00.000Z',
      goneNoticedBy: 'completion',
      lastError: { code: 'SnapshotGone' },
    });
  });

  it('judges nothing without a look: a failed listing past the completion timeout leaves the run REQUESTED', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.failNext('listSnapshots', serviceFault('transient'), 'orders');
    h.time.set('2025-03-01T17:00:00.000Z');

    await trackCompletions(h.deps, [run]);

    expect((await h.requireRun('orders-daily', SLOT)).status).toBe('REQUESTED');
  });

  it('prunes by retention in the tick in which a snapshot becomes available', async () => {
    const item = { ...DAILY, retention: { maxCount: 1 } };
    const { h, run } = await requestedSlot(item);
    const older = await seedAvailableRun(h.runs, h.gateway, policyOf(item), '2025-02-28T10:00:00.000Z');
    h.gateway.complete(run.snapshotName, 2_048);

    await h.tick('2025-03-01T10:02:00.000Z');

    expect((await h.requireRun('orders-daily', SLOT)).status).toBe('AVAILABLE');
    expect((await h.requireRun('orders-daily', older.slot)).status).toBe('PRUNED');
    expect(h.gateway.snapshot(older.snapshotName)).toBeUndefined();
    expect(h.gateway.snapshot(run.snapshotName)).toBeDefined();
  });

  it('reports a cache with any snapshot creating as busy, and lists each cache once', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.addCache('sessions');
    h.gateway.seedSnapshot({ name: 'sessions-by-hand', cacheName: 'sessions', status: 'creating' });
    const other = { ...run, policyId: 'sessions-daily', cacheName: 'sessions', snapshotName: 'sessions-x' };
    const same = { ...run, slot: '2025-02-28T10:00:00.000Z' };

    const result = await trackCompletions(h.deps, [run, same, other]);

    expect([...result.busyCaches].sort()).toEqual([ownCache('orders'), ownCache('sessions')]);
    expect(h.gateway.count('listSnapshots', 'orders')).toBe(1);
    expect(h.gateway.count('listSnapshots', 'sessions')).toBe(1);
  });

  it('treats a cache whose listing fails as busy and leaves its runs for the next tick', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.complete(run.snapshotName, 2_048);
    h.gateway.failNext('listSnapshots', serviceFault('transient'), 'orders');
    h.time.set('2025-03-01T10:02:00.000Z');

    const result = await trackCompletions(h.deps, [run]);

    expect([...result.busyCaches]).toEqual([ownCache('orders')]);
    expect(result.completed).toEqual([]);
    expect((await h.requireRun('orders-daily', SLOT)).status).toBe('REQUESTED');
  });

  it('returns the runs that became available', async () => {
    const { h, run } = await requestedSlot();
    h.gateway.complete(run.snapshotName, 2_048);
    h.time.set('2025-03-01T10:02:00.000Z');

    const result = await trackCompletions(h.deps, [run]);

    expect(result.completed.map((done) => [done.slot, done.status])).toEqual([[SLOT, 'AVAILABLE']]);
    expect(result.busyCaches.size).toBe(0);
  });
});
