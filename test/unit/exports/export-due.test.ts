import { describe, expect, it } from 'vitest';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { isExportDue } from '#lib/exports/export-due';
import type { RunRecord, RunStatus } from '#lib/runs/types';
import { policyItem, policyOf } from '#test/support/policy-builders';

const hourly = (every: number) =>
  policyOf(policyItem('orders-hourly', { export: { bucket: 'exports', every } }));

function run(hour: number, status: RunStatus, exported = false, cacheName = 'orders'): RunRecord {
  const slot = new Date(Date.UTC(2026, 3, 6, hour)).toISOString();
  return {
    policyId: 'orders-hourly',
    cacheName,
    slot,
    snapshotName: `orders-${hour}`,
    status,
    attempts: 1,
    createdAt: slot,
    updatedAt: slot,
    windowClosesAt: slot,
    ...(exported
      ? {
          export: { status: 'EXPORTED', bucket: 'exports', region: 'us-east-1', attempts: 1, giveUpAt: slot },
        }
      : {}),
  } as RunRecord;
}

async function storeWith(...runs: RunRecord[]) {
  const store = new InMemoryRunStore();
  for (const record of runs) await store.create(record);
  return store;
}

describe('isExportDue', () => {
  it('exports every snapshot with every = 1, reading nothing', async () => {
    const store = {
      listByPolicy: () => {
        throw new Error('no read expected');
      },
    };
    expect(await isExportDue(store, hourly(1), run(5, 'AVAILABLE'))).toBe(true);
  });

  it('exports the first snapshot of a target, then the Nth after each export', async () => {
    const policy = hourly(3);
    expect(await isExportDue(await storeWith(), policy, run(0, 'AVAILABLE'))).toBe(true);
    const afterOne = await storeWith(run(0, 'AVAILABLE', true), run(1, 'AVAILABLE'));
    expect(await isExportDue(afterOne, policy, run(2, 'AVAILABLE'))).toBe(false);
    const afterTwo = await storeWith(run(0, 'AVAILABLE', true), run(1, 'AVAILABLE'), run(2, 'AVAILABLE'));
    expect(await isExportDue(afterTwo, policy, run(3, 'AVAILABLE'))).toBe(true);
  });

  it('counts pruned snapshots but not failed or missed slots, nor other caches of the policy', async () => {
    const policy = hourly(3);
    const store = await storeWith(
      run(0, 'PRUNED', true),
      run(1, 'FAILED'),
      run(2, 'MISSED'),
      run(3, 'PRUNED'),
      run(4, 'AVAILABLE', false, 'sessions'),
    );
    expect(await isExportDue(store, policy, run(5, 'AVAILABLE'))).toBe(false);
    await store.create(run(5, 'AVAILABLE'));
    expect(await isExportDue(store, policy, run(6, 'AVAILABLE'))).toBe(true);
  });

  it("reads only the target's own runs (one key-range query), not the policy's other caches", async () => {
    const store = await storeWith(run(0, 'AVAILABLE', true), run(1, 'AVAILABLE', false, 'sessions'));
    const queries: unknown[] = [];
    const reading = {
      listByPolicy: (policyId: string, query?: Parameters<InMemoryRunStore['listByPolicy']>[1]) => {
        queries.push(query);
        return store.listByPolicy(policyId, query);
      },
    };

    await isExportDue(reading, hourly(2), run(2, 'AVAILABLE'));

    expect(queries).toEqual([expect.objectContaining({ cacheName: 'orders' })]);
  });

  it('exports when no export is found in the window of 2N intervals (a lost decision is made up)', async () => {
    // The export at 00:00 is outside 08:00's window (6 hourly intervals back): counted from 07:00 alone, one
    // snapshot would not be the 3rd, yet none in the window was exported, so 08:00 is.
    const store = await storeWith(run(0, 'AVAILABLE', true), run(7, 'AVAILABLE'));
    expect(await isExportDue(store, hourly(3), run(8, 'AVAILABLE'))).toBe(true);
    const inWindow = await storeWith(run(5, 'AVAILABLE', true), run(7, 'AVAILABLE'));
    expect(await isExportDue(inWindow, hourly(3), run(8, 'AVAILABLE'))).toBe(false);
  });
});
