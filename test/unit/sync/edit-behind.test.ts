import { describe, expect, it } from 'vitest';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

describe('an edit while nextRunAt is behind', () => {
  it('an edit never drops a due slot, even when nextRunAt is behind after an outage', async () => {
    const h = new SchedulerHarness({ start: '2025-03-01T10:20:00.000Z' });
    const item = policyItem('orders-hourly');
    const active = await putActivePolicy(h.policies, item, '2025-03-01T09:00:00.000Z');
    await h.policies.put({ ...active, tags: { team: 'payments' } });
    const edited = await h.policies.get('orders-hourly');
    const deps = { policies: h.policies, targets: h.targets, placements: h.placements, clock: h.time.clock };

    await syncPolicyItem(deps, edited ?? active);
    await h.tick('2025-03-01T10:21:00.000Z');

    const runs = await runsOf(h.runs, 'orders-hourly');
    expect(runs.map((run) => [run.slot, run.status])).toEqual([
      ['2025-03-01T09:00:00.000Z', 'MISSED'],
      ['2025-03-01T10:00:00.000Z', 'REQUESTED'],
    ]);
  });
});
