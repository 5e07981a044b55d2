import { describe, expect, it } from 'vitest';
import { computeSpecHash } from '#lib/policy/parse-policy';
import { runTick } from '#lib/scheduler/tick';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { FlakyRunStore } from '#test/support/flaky-run-store';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';
import { StaleDueIndex } from '#test/support/stale-due-index';

function hour(hh: string): string {
  return `2025-03-01T${hh}:00:00.000Z`;
}

describe('taking due slots', () => {
  it('records the slots skipped by an outage MISSED and takes only the latest', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('07'));

    await h.tick(hour('10'));

    const runs = await runsOf(h.runs, 'orders-hourly');
    expect(runs.map((run) => [run.slot, run.status, run.lastError?.code])).toEqual([
      [hour('07'), 'MISSED', 'SlotSuperseded'],
      [hour('08'), 'MISSED', 'SlotSuperseded'],
      [hour('09'), 'MISSED', 'SlotSuperseded'],
      [hour('10'), 'REQUESTED', undefined],
    ]);
    expect(h.gateway.createRequests).toHaveLength(1);
    expect(await h.nextRunAt('orders-hourly')).toBe(hour('11'));
  });

  it('writes at most maxMissedRecords MISSED records after a long outage and still takes the latest slot', async () => {
    const h = new SchedulerHarness({ start: hour('10'), settings: { maxMissedRecords: 2 } });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('05'));

    await h.tick(hour('10'));

    const runs = await runsOf(h.runs, 'orders-hourly');
    expect(runs.filter((run) => run.status === 'MISSED')).toHaveLength(2);
    expect((await h.requireRun('orders-hourly', hour('10'))).status).toBe('REQUESTED');
    expect(await h.nextRunAt('orders-hourly')).toBe(hour('11'));
  });

  it('records a slot whose start window has closed MISSED instead of running it late', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('10'));

    await h.tick('2025-03-01T10:45:00.000Z');

    expect(await h.requireRun('orders-hourly', hour('10'))).toMatchObject({
      status: 'MISSED',
      lastError: { code: 'StartWindowClosed' },
    });
    expect(h.gateway.createRequests).toEqual([]);
    expect(await h.nextRunAt('orders-hourly')).toBe(hour('11'));
  });

  it('still takes a slot on the last minute of its start window', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('10'));

    await h.tick('2025-03-01T10:30:00.000Z');

    expect((await h.requireRun('orders-hourly', hour('10'))).status).toBe('REQUESTED');
  });

  it('goes on with the other policies when the run store fails for one, and the next tick takes it', async () => {
    const store = new FlakyRunStore();
    store.failingPolicies.add('broken');
    const h = new SchedulerHarness({ start: hour('10'), runs: store });
    await putActivePolicy(h.policies, policyItem('broken'), hour('10'));
    await putActivePolicy(h.policies, policyItem('healthy', { cacheName: 'sessions' }), hour('10'));
    h.gateway.addCache('sessions');

    await h.tick(hour('10'));
    const brokenAfterFailure = await h.nextRunAt('broken');
    store.failingPolicies.clear();
    await h.tick('2025-03-01T10:01:00.000Z');

    expect(brokenAfterFailure).toBe(hour('10'));
    expect((await h.requireRun('healthy', hour('10'))).status).toBe('REQUESTED');
    expect((await h.requireRun('broken', hour('10'))).status).toBe('REQUESTED');
    expect(await h.nextRunAt('broken')).toBe(hour('11'));
  });

  it('has policy sync mark a due record that no longer validates INVALID and goes on with the others', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    const broken = policyItem('broken', { schedule: 'rate(5 minutes)' });
    await h.policies.put({
      ...broken,
      state: 'ACTIVE',
      nextRunAt: hour('10'),
      specHash: computeSpecHash(broken),
    });
    await putActivePolicy(h.policies, policyItem('healthy'), hour('10'));

    await h.tick(hour('10'));

    const synced = await h.policies.get('broken');
    expect(synced?.state).toBe('INVALID');
    expect(synced?.stateReason).toContain('schedule');
    expect(synced?.nextRunAt).toBeUndefined();
    expect(await runsOf(h.runs, 'broken')).toEqual([]);
    expect((await h.requireRun('healthy', hour('10'))).status).toBe('REQUESTED');
  });

  it('has policy sync mark a due record that was disabled DISABLED without taking its slot', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    const disabled = policyItem('paused', { enabled: false });
    await h.policies.put({ ...disabled, state: 'ACTIVE', nextRunAt: hour('10'), specHash: 'stale' });

    await h.tick(hour('10'));

    const synced = await h.policies.get('paused');
    expect(synced?.state).toBe('DISABLED');
    expect(synced?.nextRunAt).toBeUndefined();
    expect(h.gateway.createRequests).toEqual([]);
  });

  it('takes nothing for a policy disabled just before its slot, while the due index still lists it', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    const stale = new StaleDueIndex(h.policies);
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('10'));
    await stale.freeze();
    const disabled = {
      ...(await h.policies.get('orders-hourly')),
      ...policyItem('orders-hourly', { enabled: false }),
    };
    await h.policies.put(disabled);

    h.time.set(hour('10'));
    await runTick({ ...h.deps, policies: stale }, { at: new Date(hour('10')), tickId: 't' });

    expect(h.gateway.createRequests).toEqual([]);
    expect(await runsOf(h.runs, 'orders-hourly')).toEqual([]);
    expect((await h.policies.get('orders-hourly'))?.state).toBe('DISABLED');
  });

  it('takes nothing and writes nothing for a policy the stream already disabled, while the due index still lists it', async () => {
    const h = new SchedulerHarness({ start: '2025-03-01T09:59:00.000Z' });
    const stale = new StaleDueIndex(h.policies);
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('10'));
    await stale.freeze();
    await h.policies.put({
      ...(await h.policies.get('orders-hourly')),
      enabled: false,
      policyId: 'orders-hourly',
    });
    await syncPolicyItem(h.deps, (await h.policies.get('orders-hourly')) ?? policyItem('x'));
    const synced = await h.policies.get('orders-hourly');

    h.time.set(hour('10'));
    await runTick({ ...h.deps, policies: stale }, { at: new Date(hour('10')), tickId: 't' });

    expect(synced?.state).toBe('DISABLED');
    expect(h.gateway.createRequests).toEqual([]);
    expect(await h.policies.get('orders-hourly')).toEqual(synced);
  });

  it('takes the slot as the policy is now, not as the lagging index has it (a changed name prefix)', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    const stale = new StaleDueIndex(h.policies);
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('10'));
    await stale.freeze();
    await h.policies.put({
      ...(await h.policies.get('orders-hourly')),
      namePrefix: 'renamed',
      policyId: 'orders-hourly',
    });

    await runTick({ ...h.deps, policies: stale }, { at: new Date(hour('10')), tickId: 't' });

    expect(h.gateway.createRequests.map((request) => request.snapshotName)).toEqual([
      expect.stringMatching(/^renamed-20250301-1000-/),
    ]);
  });

  it('never takes a slot later than its clock: asked for a later time, it records no MISSED, claims nothing and keeps nextRunAt', async () => {
    const h = new SchedulerHarness({ start: hour('10') });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('11'));
    await putActivePolicy(h.policies, policyItem('catalog-hourly', { cacheName: 'catalog' }), hour('09'));
    h.gateway.addCache('catalog');

    await runTick(h.deps, { at: new Date('2025-03-02T10:00:00.000Z'), tickId: 'tomorrow' });

    expect(await runsOf(h.runs, 'orders-hourly')).toEqual([]);
    expect(await h.nextRunAt('orders-hourly')).toBe(hour('11'));
    const catalog = await runsOf(h.runs, 'catalog-hourly');
    expect(catalog.map((run) => [run.slot, run.status])).toEqual([
      [hour('09'), 'MISSED'],
      [hour('10'), 'REQUESTED'],
    ]);
    expect(await h.nextRunAt('catalog-hourly')).toBe(hour('11'));
  });

  it('has policy sync mark a policy whose schedule has no slot left DISABLED with the reason once its last slot is taken', async () => {
    const last = '2030-03-01T10:00:00.000Z';
    const h = new SchedulerHarness({ start: last });
    const lastOnes = policyItem('orders-final', { schedule: 'cron(0 9,10 1 3 ? 2030)' });
    await putActivePolicy(h.policies, lastOnes, last);

    await h.tick(last);

    const after = await h.policies.get('orders-final');
    expect((await h.requireRun('orders-final', last)).status).toBe('REQUESTED');
    expect(after).toMatchObject({
      state: 'DISABLED',
      stateReason: expect.stringContaining('no future slot'),
    });
    expect(after?.nextRunAt).toBeUndefined();
  });
});
