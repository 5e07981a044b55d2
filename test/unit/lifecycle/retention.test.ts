import { afterEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { applyRetention, selectPrunable } from '#lib/lifecycle/retention';
import { metrics } from '#lib/observability';
import type { RetentionRule } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import { MANAGED_TAGS, managedTags } from '#lib/snapshots/snapshot-gateway';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { seedAvailableRun, testManagedTags } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

/** The names of the metrics recorded through a spy on metrics.addMetric. */
function metricNames(spy: MockInstance<(typeof metrics)['addMetric']>): string[] {
  return spy.mock.calls.map(([name]) => name);
}

function availableRun(slot: string): RunRecord {
  return {
    policyId: 'orders-hourly',
    slot,
    cacheName: 'orders',
    kind: 'SCHEDULED',
    snapshotName: `orders-${slot.slice(0, 10)}`,
    status: 'AVAILABLE',
    attempts: 1,
    createdAt: slot,
    updatedAt: slot,
    windowClosesAt: slot,
  };
}

function rule(overrides: Partial<RetentionRule>): RetentionRule {
  return { maxCount: undefined, maxAgeDays: undefined, minCount: 1, ...overrides };
}

const DAYS = ['01', '02', '03', '04', '05', '06'].map((day) => `2025-03-${day}T03:00:00.000Z`);
const NOW = new Date('2025-03-10T12:00:00.000Z');

function slotsOf(runs: readonly RunRecord[]): string[] {
  return runs.map((run) => run.slot);
}

describe('selectPrunable', () => {
  it('selects the runs beyond maxCount, oldest first', () => {
    const runs = DAYS.map(availableRun);

    const prunable = selectPrunable(runs, rule({ maxCount: 4 }), NOW);

    expect(slotsOf(prunable)).toEqual([DAYS[0], DAYS[1]]);
  });

  it('selects the runs older than maxAgeDays by slot, and not one exactly at the cutoff', () => {
    const runs = ['2025-03-02T11:59:59.999Z', '2025-03-03T12:00:00.000Z', '2025-03-09T03:00:00.000Z'].map(
      availableRun,
    );

    const prunable = selectPrunable(runs, rule({ maxAgeDays: 7 }), NOW);

    expect(slotsOf(prunable)).toEqual(['2025-03-02T11:59:59.999Z']);
  });

  it('never goes below minCount, even when every run is too old', () => {
    const runs = DAYS.map(availableRun);

    const prunable = selectPrunable(runs, rule({ maxAgeDays: 1, minCount: 2 }), NOW);

    expect(slotsOf(prunable)).toEqual(DAYS.slice(0, 4));
  });

  it('keeps minCount runs when it is larger than maxCount', () => {
    const runs = DAYS.map(availableRun);

    const prunable = selectPrunable(runs, rule({ maxCount: 1, minCount: 3 }), NOW);

    expect(slotsOf(prunable)).toEqual(DAYS.slice(0, 3));
  });

  it('selects the union of what maxCount and maxAgeDays remove', () => {
    const runs = [...DAYS, '2025-03-09T03:00:00.000Z', '2025-03-10T03:00:00.000Z'].map(availableRun);

    const prunable = selectPrunable(runs, rule({ maxCount: 6, maxAgeDays: 6 }), NOW);

    expect(slotsOf(prunable)).toEqual(DAYS.slice(0, 4));
  });

  it('sorts by slot whatever order the runs come in', () => {
    const runs = [DAYS[3], DAYS[0], DAYS[5], DAYS[1], DAYS[4], DAYS[2]].map((slot) =>
      availableRun(slot ?? ''),
    );

    const prunable = selectPrunable(runs, rule({ maxCount: 3 }), NOW);

    expect(slotsOf(prunable)).toEqual(DAYS.slice(0, 3));
  });

  it('selects nothing when the runs are within every limit', () => {
    const runs = DAYS.map(availableRun);

    expect(selectPrunable(runs, rule({ maxCount: 6, maxAgeDays: 30 }), NOW)).toEqual([]);
    expect(selectPrunable([], rule({ maxCount: 1 }), NOW)).toEqual([]);
  });
});

describe('applyRetention', () => {
  const START = '2025-03-01T10:00:00.000Z';
  const SLOTS = ['06:00', '07:00', '08:00', '09:00'].map((time) => `2025-03-01T${time}:00.000Z`);
  const item = policyItem('orders-hourly', { retention: { maxCount: 2 } });
  const policy = policyOf(item);

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function arrange() {
    const h = new SchedulerHarness({ start: START });
    await putActivePolicy(h.policies, item, '2025-03-01T11:00:00.000Z');
    const runs = [];
    for (const slot of SLOTS) runs.push(await seedAvailableRun(h.runs, h.gateway, policy, slot));
    return { h, runs };
  }

  it('deletes the snapshots retention no longer keeps and records their runs PRUNED', async () => {
    const { h, runs } = await arrange();

    const pruned = await applyRetention(h.deps, policy);

    expect(pruned).toBe(2);
    expect(h.gateway.snapshotNames().sort()).toEqual([runs[2]?.snapshotName, runs[3]?.snapshotName].sort());
    expect((await h.requireRun('orders-hourly', SLOTS[0] ?? '')).status).toBe('PRUNED');
    expect((await h.requireRun('orders-hourly', SLOTS[1] ?? '')).status).toBe('PRUNED');
    expect((await h.requireRun('orders-hourly', SLOTS[2] ?? '')).status).toBe('AVAILABLE');
  });

  it('leaves a snapshot whose tags no longer carry this policy, recording its run SKIPPED NotOwned', async () => {
    const { h, runs } = await arrange();
    const retagged = runs[0]?.snapshotName ?? '';
    h.gateway.setTags(retagged, testManagedTags('someone-else', SLOTS[0] ?? ''));

    const pruned = await applyRetention(h.deps, policy);

    expect(pruned).toBe(1);
    expect(h.gateway.snapshot(retagged)).toBeDefined();
    expect(h.gateway.count('deleteSnapshot', retagged)).toBe(0);
    expect(await h.requireRun('orders-hourly', SLOTS[0] ?? '')).toMatchObject({
      status: 'SKIPPED',
      lastError: { code: 'NotOwned' },
    });
    expect((await h.requireRun('orders-hourly', SLOTS[1] ?? '')).status).toBe('PRUNED');
  });

  it('leaves a snapshot of the same policy and slot made by another deployment, naming it', async () => {
    const { h, runs } = await arrange();
    const theirs = runs[0]?.snapshotName ?? '';
    const mark = {
      deployment: 'cache-snapshot-orchestrator-qa',
      policyId: 'orders-hourly',
      slot: SLOTS[0] ?? '',
    };
    h.gateway.setTags(theirs, managedTags(mark));

    await applyRetention(h.deps, policy);

    expect(h.gateway.snapshot(theirs)).toBeDefined();
    expect(h.gateway.count('deleteSnapshot', theirs)).toBe(0);
    const run = await h.requireRun('orders-hourly', SLOTS[0] ?? '');
    expect(run).toMatchObject({ status: 'SKIPPED', lastError: { code: 'NotOwned' } });
    expect(run.lastError?.message).toContain(
      'another deployment of the orchestrator, "cache-snapshot-orchestrator-qa"',
    );
  });

  it('adopts a snapshot made before deployments were told apart, through its run record: tagged, then deleted', async () => {
    const h = new SchedulerHarness({ start: START });
    await putActivePolicy(h.policies, item, '2025-03-01T11:00:00.000Z');
    const runs = [];
    for (const slot of SLOTS) runs.push(await seedAvailableRun(h.runs, h.gateway, policy, slot, true));
    const oldest = runs[0];

    const pruned = await applyRetention(h.deps, policy);

    expect(pruned).toBe(2);
    expect(h.gateway.count('tagSnapshot', oldest?.snapshotArn)).toBe(1);
    expect(h.gateway.calls.map((call) => call.operation)).toEqual([
      'listTags',
      'tagSnapshot',
      'deleteSnapshot',
      'listTags',
      'tagSnapshot',
      'deleteSnapshot',
    ]);
    expect((await h.requireRun('orders-hourly', SLOTS[0] ?? '')).status).toBe('PRUNED');
    expect(h.gateway.tagsOf(runs[2]?.snapshotName ?? '')?.[MANAGED_TAGS.deployment]).toBeUndefined();
  });

  it('leaves a legacy snapshot of another slot than its run’s, without tagging it', async () => {
    const h = new SchedulerHarness({ start: START });
    await putActivePolicy(h.policies, item, '2025-03-01T11:00:00.000Z');
    const runs = [];
    for (const slot of SLOTS) runs.push(await seedAvailableRun(h.runs, h.gateway, policy, slot, true));
    h.gateway.setTags(runs[0]?.snapshotName ?? '', testManagedTags('orders-hourly', SLOTS[3] ?? '', true));

    await applyRetention(h.deps, policy);

    expect(h.gateway.count('tagSnapshot', runs[0]?.snapshotArn)).toBe(0);
    expect(h.gateway.snapshot(runs[0]?.snapshotName ?? '')).toBeDefined();
    expect((await h.requireRun('orders-hourly', SLOTS[0] ?? '')).lastError?.message).toContain(
      'another slot',
    );
  });

  it('leaves a snapshot whose managed tags were removed', async () => {
    const { h, runs } = await arrange();
    const untagged = runs[1]?.snapshotName ?? '';
    h.gateway.setTags(untagged, { team: 'payments' });

    await applyRetention(h.deps, policy);

    expect(h.gateway.snapshot(untagged)).toBeDefined();
    expect((await h.requireRun('orders-hourly', SLOTS[1] ?? '')).status).toBe('SKIPPED');
  });

  it('never touches snapshots the policy has no run for', async () => {
    const { h } = await arrange();
    h.gateway.seedSnapshot({ name: 'orders-by-hand', cacheName: 'orders', status: 'available' });
    h.gateway.seedSnapshot({
      name: 'orders-other-policy',
      cacheName: 'orders',
      status: 'available',
      tags: testManagedTags('orders-daily', '2025-02-01T03:00:00.000Z'),
    });

    await applyRetention(h.deps, policy);

    expect(h.gateway.snapshot('orders-by-hand')).toBeDefined();
    expect(h.gateway.snapshot('orders-other-policy')).toBeDefined();
    expect(h.gateway.count('deleteSnapshot')).toBe(2);
  });

  it('does nothing for a policy without retention', async () => {
    const { h } = await arrange();

    const pruned = await applyRetention(h.deps, policyOf(policyItem('orders-hourly')));

    expect(pruned).toBe(0);
    expect(h.gateway.calls).toEqual([]);
  });

  it('records GONE, not a prune failure, when a first deletion finds the snapshot already deleted', async () => {
    const { h, runs } = await arrange();
    const added = vi.spyOn(metrics, 'addMetric');
    h.gateway.failNext(
      'deleteSnapshot',
      serviceFault('not-found', 'ServerlessCacheSnapshotNotFoundFault'),
      runs[0]?.snapshotName,
    );

    await applyRetention(h.deps, policy);

    expect(await h.requireRun('orders-hourly', SLOTS[0] ?? '')).toMatchObject({
      status: 'GONE',
      goneNoticedBy: 'retention',
      lastError: { code: 'SnapshotGone' },
    });
    expect(metricNames(added)).toContain('SnapshotsGone');
    expect(metricNames(added)).not.toContain('PruneFailures');
  });

  it('records PRUNED when a retried deletion finds the snapshot gone (the failed attempt may have done it)', async () => {
    const { h, runs } = await arrange();
    const stubborn = runs[0]?.snapshotName ?? '';
    h.gateway.failNext('deleteSnapshot', serviceFault('transient'), stubborn);
    await applyRetention(h.deps, policy);
    const pending = await h.requireRun('orders-hourly', SLOTS[0] ?? '');
    h.gateway.removeSnapshot(stubborn);

    await h.tick(pending.nextCheckAt ?? '');

    expect((await h.requireRun('orders-hourly', SLOTS[0] ?? '')).status).toBe('PRUNED');
  });

  it('records GONE when the snapshot was deleted by hand before retention reads its tags, once, without a prune failure', async () => {
    const { h, runs } = await arrange();
    const added = vi.spyOn(metrics, 'addMetric');
    h.gateway.removeSnapshot(runs[0]?.snapshotName ?? '');

    const pruned = await applyRetention(h.deps, policy);
    const again = await applyRetention(h.deps, policy);

    expect([pruned, again]).toEqual([1, 0]);
    expect(await h.requireRun('orders-hourly', SLOTS[0] ?? '')).toMatchObject({
      status: 'GONE',
      goneNoticedBy: 'retention',
    });
    expect(metricNames(added).filter((name) => name === 'SnapshotsGone')).toHaveLength(1);
    expect(metricNames(added)).not.toContain('PruneFailures');
    expect(h.gateway.count('listTags', runs[0]?.snapshotArn)).toBe(1);
  });

  it('keeps a run PRUNING with the error when the deletion fails, and a later tick deletes it', async () => {
    const { h, runs } = await arrange();
    const stubborn = runs[0]?.snapshotName ?? '';
    h.gateway.failNext('deleteSnapshot', serviceFault('transient'), stubborn);

    const pruned = await applyRetention(h.deps, policy);

    expect(pruned).toBe(1);
    const pending = await h.requireRun('orders-hourly', SLOTS[0] ?? '');
    expect(pending).toMatchObject({ status: 'PRUNING', lastError: { code: 'Throttling' } });
    expect(pending.nextCheckAt && pending.nextCheckAt > START).toBe(true);
    expect(h.gateway.snapshot(stubborn)).toBeDefined();

    await h.tick(pending.nextCheckAt ?? '');

    expect((await h.requireRun('orders-hourly', SLOTS[0] ?? '')).status).toBe('PRUNED');
    expect(h.gateway.snapshot(stubborn)).toBeUndefined();
  });

  it('goes on with the other runs when reading one snapshot’s tags fails, leaving that run AVAILABLE', async () => {
    const { h, runs } = await arrange();
    h.gateway.failNext('listTags', serviceFault('transient'), runs[0]?.snapshotArn);

    const pruned = await applyRetention(h.deps, policy);

    expect(pruned).toBe(1);
    expect((await h.requireRun('orders-hourly', SLOTS[0] ?? '')).status).toBe('AVAILABLE');
    expect((await h.requireRun('orders-hourly', SLOTS[1] ?? '')).status).toBe('PRUNED');
  });
});
