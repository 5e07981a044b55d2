import { describe, expect, it } from 'vitest';
import { computeSpecHash } from '#lib/policy/parse-policy';
import { FlakyRunStore } from '#test/support/flaky-run-store';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

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
});
