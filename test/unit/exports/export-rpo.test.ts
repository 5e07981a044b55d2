import { describe, expect, it } from 'vitest';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { reportExportRecoveryPoints } from '#lib/exports/export-rpo';
import { computeSpecHash } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';
import type { RunExport, RunRecord } from '#lib/runs/types';
import { policyItem } from '#test/support/policy-builders';

const NOW = new Date('2026-04-10T12:00:00.000Z');

function active(item: PolicyItem): PolicyItem {
  return {
    ...item,
    state: 'ACTIVE',
    specHash: computeSpecHash(item),
    activatedAt: '2026-04-01T00:00:00.000Z',
  };
}

function runAt(policyId: string, slot: string, exported?: Partial<RunExport>): RunRecord {
  return {
    policyId,
    cacheName: 'orders',
    slot,
    kind: 'SCHEDULED',
    snapshotName: `orders-${slot}`,
    status: 'AVAILABLE',
    attempts: 1,
    createdAt: slot,
    updatedAt: slot,
    requestedAt: slot,
    windowClosesAt: slot,
    ...(exported
      ? {
          export: {
            status: 'EXPORTED',
            bucket: 'exports',
            region: 'us-east-1',
            attempts: 1,
            giveUpAt: slot,
            ...exported,
          },
        }
      : {}),
  } as RunRecord;
}

describe('reportExportRecoveryPoints', () => {
  it('gives each destination the hours since its newest exported or copied snapshot, the worst target winning', async () => {
    const runs = new InMemoryRunStore();
    await runs.create(
      runAt('a', '2026-04-10T06:00:00.000Z', {
        status: 'REPLICATED',
        replica: { bucket: 'orders-dr', region: 'eu-west-1' },
      }),
    );
    await runs.create(
      runAt('a', '2026-04-10T09:00:00.000Z', {
        status: 'EXPORTED',
        replica: { bucket: 'orders-dr', region: 'eu-west-1' },
      }),
    );
    await runs.create(runAt('a', '2026-04-10T11:00:00.000Z'));
    await runs.create(runAt('b', '2026-04-10T10:00:00.000Z', { status: 'FAILED' }));
    const items = [
      active(
        policyItem('a', {
          export: { bucket: 'exports', replicateTo: { bucket: 'orders-dr', region: 'eu-west-1' } },
        }),
      ),
      active(policyItem('b', { export: { bucket: 'exports' } })),
      active(policyItem('c')),
    ];

    const hours = await reportExportRecoveryPoints({ runs, clock: () => NOW }, items);

    // a: exports 3 h (09:00), orders-dr 6 h (06:00); b never exported: since activation (9.5 days).
    expect(Object.fromEntries(hours)).toEqual({ exports: 228, 'orders-dr': 6 });
  });
});
