import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { DEMO_MEMBER_ACCOUNT, DEMO_OTHER_REGION, describeAccounts } from '#local/demo/accounts';
import { countEvents } from '#local/demo/event-lines';
import { DEMO_EXPORT, describeExports } from '#local/demo/exports';
import { fleetCoverage } from '#local/demo/fleet';
import { describeOnDemand } from '#local/demo/on-demand';
import { describeRestoreTest, restoreTestReport } from '#local/demo/restore-tests';
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
    // About 22 s alone on a quiet machine; a loaded 2-core CI runner has taken over 60 s.
  }, 150_000);
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
    // The member account's and the second region's caches are covered where they are.
    expect(rows.map((row) => `${row.account} ${row.region} ${row.cacheName} ${row.status}`)).toEqual(
      expect.arrayContaining([
        '210987654321 us-east-1 billing PROTECTED',
        '123456789012 eu-west-1 orders PROTECTED',
        '123456789012 us-east-1 orders PROTECTED',
      ]),
    );
    expect(deleted).toMatchObject({ state: 'RETIRED' });
    // Its newest maxCount (3) snapshots, never fewer than minCount (2): the last recovery points of a deleted cache.
    expect(kept).toHaveLength(3);
    expect(lines).toContainEqual(expect.stringMatching(/reconcile: 1 target\(s\) enrolled/));
  });

  it('reports, for every policy, exactly the counts in its run records', async () => {
    // Restore tests share the runs table (kind RESTORE_TEST); the policy rows count snapshot runs.
    const runs = (await scanTable(demo.simulation.stack.runsTable)).filter(
      (run) => run.kind !== 'RESTORE_TEST',
    );
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
    const snapshots = demo.simulation.stack.emulator
      .partitions()
      .flatMap((partition) => partition.snapshots());
    const available = demo.report.reduce((sum, row) => sum + row.available, 0);

    expect(
      snapshots.filter((snapshot) => snapshot.tags['managed-by'] === 'cache-snapshot-orchestrator'),
    ).toHaveLength(available);
    expect(snapshots.map((snapshot) => snapshot.name)).toContain('orders-before-migration');
  });

  it('publishes the week to EventBridge: one event per run entering each status, counted in the report', () => {
    const all = demo.simulation.stack.eventBridge.events();
    const events = all.filter((event) => event.detailType === 'Snapshot Run State Change');
    const total = (key: 'failed' | 'missed' | 'created' | 'available' | 'pruned') =>
      demo.report.reduce((sum, row) => sum + row[key], 0);
    const runEvents = events.filter((event) => event.detailType === 'Snapshot Run State Change');
    const entered = (status: string) => runEvents.filter((event) => event.detail.status === status).length;

    expect(entered('AVAILABLE')).toBe(total('available') + total('pruned'));
    expect(entered('PRUNED')).toBe(total('pruned'));
    expect(entered('FAILED')).toBe(total('failed'));
    expect(entered('MISSED')).toBe(total('missed'));
    expect(new Set(all.map((event) => event.detailType))).toEqual(
      new Set(['Snapshot Run State Change', 'Snapshot Export State Change', 'Restore Test State Change']),
    );
    const report = countEvents(all);
    expect(report[0]).toBe(`EventBridge received ${all.length} events (source cache-snapshot-orchestrator):`);
    expect(report[1]).toContain(`AVAILABLE ${entered('AVAILABLE')}`);
    expect(report).toContain('  Restore Test State Change: RESTORING 2, VERIFIED 1, FAILED 1');
  });

  it('runs a restore test twice: one VERIFIED with its duration, one failing as injected, both cleaned up', async () => {
    const lines = await restoreTestReport(demo.simulation);
    const tests = [];
    for await (const record of demo.simulation.runtime.restoreTests.listOfTarget('orders-daily', 'orders')) {
      tests.push(record);
    }

    expect(tests.map((test) => [test.slot, test.status, test.lastError?.code])).toEqual([
      ['2026-03-25T09:00:00.000Z', 'VERIFIED', undefined],
      ['2026-03-28T09:00:00.000Z', 'FAILED', 'CreateFailed'],
    ]);
    expect(tests[0]?.restoreSeconds).toBe(600);
    expect(tests.every((test) => test.cleanedUpAt !== undefined)).toBe(true);
    expect(demo.simulation.stack.emulator.caches().filter((cache) => cache.name.startsWith('rt-'))).toEqual(
      [],
    );
    expect(lines.slice(1)).toEqual(tests.map(describeRestoreTest));
  });

  it('takes one on-demand snapshot with --keep mid-week, which retention keeps while it prunes the policy’s older ones', async () => {
    const runs = await demo.simulation.allRuns();
    const onDemand = runs.filter((run) => run.kind === 'ON_DEMAND');
    const snapshots = demo.simulation.stack.emulator.snapshots();

    expect(onDemand).toMatchObject([
      { policyId: 'orders-daily', cacheName: 'orders', keep: true, status: 'AVAILABLE' },
    ]);
    expect(snapshots.find((snapshot) => snapshot.name === onDemand[0]?.snapshotName)?.tags).toMatchObject({
      'snapshot-orchestrator-keep': 'true',
    });
    expect(lines).toContain(
      '  14:20Z  an operator runs `cache-snapshots snapshot orders-daily --keep` before a migration of orders: REQUESTED',
    );
    const line = describeOnDemand(runs, snapshots);
    expect(line).toMatch(
      /^On demand \(--keep\): orders-daily-20260325-1420-[0-9a-f]{8} of cache orders \(policy orders-daily\), AVAILABLE at the end, still in the emulator; retention pruned [1-9]\d* other snapshots of orders-daily meanwhile\.$/,
    );
    const events = demo.simulation.stack.eventBridge
      .events()
      .filter(
        (event) => event.detailType === 'Snapshot Run State Change' && event.detail.kind === 'ON_DEMAND',
      );
    expect(events.map((event) => event.detail.status)).toEqual(['REQUESTED', 'AVAILABLE']);
  });

  it('exports every orders-daily snapshot, copies each to the replica bucket and keeps the newest three in both', async () => {
    const runs = await demo.simulation.allRuns();
    const daily = runs.filter(
      (run) => run.policyId === DEMO_EXPORT.policyId && run.requestedAt !== undefined,
    );
    expect(daily.length).toBeGreaterThan(3);
    expect(daily.map((run) => run.export?.status)).toEqual(daily.map(() => 'REPLICATED'));
    const lines = await describeExports(demo.simulation, runs);
    expect(lines).toEqual([
      `Exports (run records): ${daily.length} snapshots exported, ${daily.length} copied to orders-dr, 0 not copied yet, 0 failed.`,
      'Objects now in s3://orders-exports: 3, in s3://orders-dr: 3 (export retention keeps 3).',
    ]);
    const exportEvents = demo.simulation.stack.eventBridge
      .events()
      .filter((event) => event.detailType === 'Snapshot Export State Change');
    expect(exportEvents).toHaveLength(3 * daily.length);
  });

  it('snapshots the member account and the second region, each policy only in its own placement', async () => {
    const table = await describeAccounts(demo.simulation, demo.report);
    const row = (account: string, region: string) =>
      table.find((line) => line.startsWith(account) && line.includes(region))?.split(/\s+/);

    const member = row(DEMO_MEMBER_ACCOUNT, 'us-east-1');
    const abroad = row('123456789012', DEMO_OTHER_REGION);
    expect(member?.slice(2, 3)).toEqual(['1']);
    expect(abroad?.slice(2, 3)).toEqual(['1']);
    for (const line of [member, abroad, row('123456789012', 'us-east-1')]) {
      expect(Number(line?.[3])).toBeGreaterThan(0);
      expect(line?.[3]).toBe(line?.[4]);
    }
    expect(demo.report.find((r) => r.policyId === 'billing-member-6h')).toMatchObject({
      state: 'ACTIVE',
      failed: 0,
    });
  });

  it('logs one progress line per simulated day', () => {
    expect(lines.filter((line) => / run records written: /.test(line))).toHaveLength(7);
  });
});
