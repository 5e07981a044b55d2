import { describe, expect, it } from 'vitest';
import { policyItem, putActivePolicy } from '#test/support/policy-builders';
import { runsOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

function hour(hh: string): string {
  return `2025-03-01T${hh}:00:00.000Z`;
}

describe('faults and limits at the edges', () => {
  it('records at most maxMissedRecords skipped slots, the latest ones', async () => {
    const h = new SchedulerHarness({ start: hour('10'), settings: { maxMissedRecords: 2 } });
    await putActivePolicy(h.policies, policyItem('orders-hourly'), hour('05'));

    await h.tick(hour('10'));

    const runs = await runsOf(h.runs, 'orders-hourly');
    expect(runs.map((run) => [run.slot, run.status])).toEqual([
      [hour('08'), 'MISSED'],
      [hour('09'), 'MISSED'],
      [hour('10'), 'REQUESTED'],
    ]);
  });
});
