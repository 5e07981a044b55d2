import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { METRIC, metrics } from '#lib/observability';
import type { PolicyItem } from '#lib/policy/types';
import { reportRecoveryPoints, targetAges } from '#lib/sync/report-rpo';
import type { TargetTable } from '#lib/targets/target-table';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const GOLD: PolicyItem = {
  policyId: 'gold',
  schedule: 'cron(0 3 * * ? *)',
  targets: { tags: { tier: 'gold' } },
  state: 'ACTIVE',
  activatedAt: '2026-02-01T00:00:00.000Z',
};
const ORDERS: PolicyItem = {
  policyId: 'orders-hourly',
  schedule: 'rate(1 hour)',
  cacheName: 'orders',
  state: 'ACTIVE',
  activatedAt: '2026-03-02T09:00:00.000Z',
};
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

/** gold's targets: cart with a snapshot taken 9 h ago, ledger enrolled 2 h ago without one, legacy retired. */
async function goldTargets(): Promise<InMemoryTargetTable> {
  const table = new InMemoryTargetTable();
  const enrol = (cacheName: string, hours: number) =>
    table.enrol({ policyId: 'gold', cacheName, nextRunAt: hoursAgo(-15), enrolledAt: hoursAgo(hours) });
  await enrol('cart', 30);
  await enrol('ledger', 2);
  await enrol('legacy', 100);
  await table.recordSummaries(
    { policyId: 'gold', cacheName: 'cart' },
    {
      newestSnapshot: {
        slot: hoursAgo(9),
        snapshotName: 'cart-1',
        takenAt: hoursAgo(9),
        availableAt: hoursAgo(8.9),
      },
    },
  );
  await table.retire({ policyId: 'gold', cacheName: 'legacy' }, hoursAgo(50), 'the cache was deleted');
  return table;
}

/** What emitMetricWith sent: each single metric's dimensions, name and value. */
function spySingleMetrics() {
  const sent: { dimensions: Record<string, string>; name: string; value: number }[] = [];
  vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const one = { dimensions: {} as Record<string, string>, name: '', value: 0 };
    sent.push(one);
    const fake = {
      addDimension: (key: string, value: string) => Object.assign(one.dimensions, { [key]: value }),
      addDimensions: (dimensions: Record<string, string>) => Object.assign(one.dimensions, dimensions),
      addMetric: (name: string, _unit: unknown, value: number) => Object.assign(one, { name, value }),
    };
    return fake as unknown as ReturnType<typeof metrics.singleMetric>;
  });
  return sent;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('recovery points of a targets policy', () => {
  it('gives each ACTIVE target its own age: since its newest snapshot was taken, else since it was enrolled', async () => {
    expect(await targetAges(await goldTargets(), [GOLD, ORDERS], NOW)).toEqual([
      { policyId: 'gold', cacheName: 'cart', ageSeconds: 9 * 3600 },
      { policyId: 'gold', cacheName: 'ledger', ageSeconds: 2 * 3600 },
    ]);
  });

  it('emits NewestSnapshotAgeSeconds per target with policyId and cacheName, none for the policy itself, and counts targets in the worst', async () => {
    const sent = spySingleMetrics();
    const recorded = vi.spyOn(metrics, 'addMetric');

    const worst = await reportRecoveryPoints(await goldTargets(), [GOLD, ORDERS], NOW);

    expect(sent).toEqual([
      { dimensions: { policyId: 'orders-hourly' }, name: METRIC.NewestSnapshotAgeSeconds, value: 3 * 3600 },
      {
        dimensions: { policyId: 'gold', cacheName: 'cart' },
        name: METRIC.NewestSnapshotAgeSeconds,
        value: 9 * 3600,
      },
      {
        dimensions: { policyId: 'gold', cacheName: 'ledger' },
        name: METRIC.NewestSnapshotAgeSeconds,
        value: 2 * 3600,
      },
    ]);
    expect(worst).toBe(9 * 3600);
    expect(recorded).toHaveBeenCalledWith(METRIC.MaxNewestSnapshotAgeSeconds, expect.anything(), 9 * 3600);
  });

  it('reads no targets of a policy that is not ACTIVE, and reports the others when one policy’s cannot be read', async () => {
    const table = await goldTargets();
    const read = vi.spyOn(table, 'listByPolicy');
    const failing: Pick<TargetTable, 'listByPolicy'> = {
      async *listByPolicy(policyId) {
        if (policyId === 'silver') throw new Error('throttled');
        yield* table.listByPolicy(policyId);
      },
    };

    expect(await targetAges(table, [{ ...GOLD, state: 'DISABLED' }], NOW)).toEqual([]);
    expect(read).not.toHaveBeenCalled();
    const ages = await targetAges(failing, [{ ...GOLD, policyId: 'silver' }, GOLD], NOW);
    expect(ages.map((age) => age.cacheName)).toEqual(['cart', 'ledger']);
  });
});
