import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { countEvents } from '#local/demo/event-lines';
import { fleetCoverage } from '#local/demo/fleet';
import type { DemoResult } from '#local/demo/run-demo';
import { runDemo } from '#local/demo/run-demo';

type Item = Record<string, unknown>;

async function scanTable(tableName: string): Promise<Item[]> {
  const client = createItemClient();
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await client.scan({ TableName: tableName, ExclusiveStartKey });
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return items;
}

describe('npm start (the simulated week)', () => {
  let demo: DemoResult;
  const lines: string[] = [];
  beforeAll(async () => {
    demo = await runDemo({ log: (line) => lines.push(line) });
  }, 60_000);
  afterAll(() => demo?.simulation.stop());

  it('covers the gold tier: a cache created mid-week enrolled, one deleted retired with its last recovery points kept', async () => {
    const rows = await fleetCoverage(demo.simulation);
    const status = Object.fromEntries(rows.map((row) => [row.cacheName, row.status]));
    const deleted = await demo.simulation.runtime.targets.table.get({
      policyId: 'gold-tier',
      cacheName: 'search-index',
    });
    const kept = (await demo.simulation.allRuns()).filter(
      (run) => run.cacheName === 'search-index' && run.status === 'AVAILABLE',
    );

    expect(status).toMatchObject({ ledger: 'PROTECTED', checkout: 'PROTECTED', 'gold-sandbox': 'EXCLUDED' });
    expect(status['search-index']).toBeUndefined();
    expect(deleted).toMatchObject({ state: 'RETIRED' });
    // Its newest maxCount (3) snapshots, never fewer than minCount (2): the last recovery points of a deleted cache.
    expect(kept).toHaveLength(3);
    expect(lines).toContainEqual(expect.stringMatching(/reconcile: 1 target\(s\) enrolled/));
  });

  it('reports, for every policy, exactly the counts in its run records', async () => {
    const runs = await scanTable(demo.simulation.stack.runsTable);
    const policies = await scanTable(demo.simulation.stack.policiesTable);

    const expected = policies
      .map((policy) => {
        const own = runs.filter((run) => run.policyId === policy.policyId);
        const withStatus = (status: string) => own.filter((run) => run.status === status).length;
        return {
          policyId: policy.policyId,
          state: policy.state,
          created: own.filter((run) => typeof run.requestedAt === 'string').length,
          available: withStatus('AVAILABLE'),
          retried: own.filter((run) => Number(run.attempts) > 1).length,
          failed: withStatus('FAILED'),
          pruned: withStatus('PRUNED'),
          missed: withStatus('MISSED'),
          reason: policy.stateReason ?? '',
        };
      })
      .sort((a, b) => String(a.policyId).localeCompare(String(b.policyId)));
    expect(demo.report.map(({ cacheName: _cache, ...row }) => row)).toEqual(expected);
  });

  it('shows the faults of the week in the run records: retries, a failure, missed slots, an invalid policy', () => {
    const total = (key: 'retried' | 'failed' | 'missed' | 'created' | 'available' | 'pruned') =>
      demo.report.reduce((sum, row) => sum + row[key], 0);

    expect(total('created')).toBe(total('available') + total('pruned'));
    expect(total('retried')).toBeGreaterThan(0);
    expect(total('pruned')).toBeGreaterThan(0);
    expect(demo.report.find((row) => row.policyId === 'sessions-6h')).toMatchObject({ failed: 1, missed: 1 });
    expect(demo.report.find((row) => row.policyId === 'orders-daily')?.missed).toBe(1);
    const invalid = demo.report.find((row) => row.policyId === 'reports-every-15m');
    expect(invalid?.state).toBe('INVALID');
    expect(invalid?.reason).toMatch(/^schedule: .*timezone: .*tags: .*retention\.maxCount: /);
  });

  it("holds in the emulator exactly the AVAILABLE runs' snapshots, and the person's snapshot untouched", () => {
    const snapshots = demo.simulation.stack.emulator.snapshots();
    const available = demo.report.reduce((sum, row) => sum + row.available, 0);

    expect(
      snapshots.filter((snapshot) => snapshot.tags['managed-by'] === 'cache-snapshot-orchestrator'),
    ).toHaveLength(available);
    expect(snapshots.map((snapshot) => snapshot.name)).toContain('orders-before-migration');
  });

  it('publishes the week to EventBridge: one event per run entering each status, counted in the report', () => {
    const events = demo.simulation.stack.eventBridge.events();
    const total = (key: 'failed' | 'missed' | 'created' | 'available' | 'pruned') =>
      demo.report.reduce((sum, row) => sum + row[key], 0);
    const entered = (status: string) => events.filter((event) => event.detail.status === status).length;

    expect(entered('AVAILABLE')).toBe(total('available') + total('pruned'));
    expect(entered('PRUNED')).toBe(total('pruned'));
    expect(entered('FAILED')).toBe(total('failed'));
    expect(entered('MISSED')).toBe(total('missed'));
    expect(new Set(events.map((event) => event.detailType))).toEqual(new Set(['Snapshot Run State Change']));
    const report = countEvents(events);
    expect(report[0]).toBe(
      `EventBridge received ${events.length} events (source cache-snapshot-orchestrator):`,
    );
    expect(report[1]).toContain(`AVAILABLE ${entered('AVAILABLE')}`);
  });

  it('logs one progress line per simulated day', () => {
    expect(lines.filter((line) => / run records written: /.test(line))).toHaveLength(7);
  });
});
