import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRestoreTestStore } from '#lib/adapters/memory/restore-test-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { MINUTE_MS } from '#lib/clock';
import { parsePolicy } from '#lib/policy/parse-policy';
import { policyForTarget } from '#lib/policy/policy-for-target';
import type { PolicyItem } from '#lib/policy/types';
import type { DueRestoreTestDeps } from '#lib/restore-tests/start-due-restore-tests';
import { type ReconcileDeps, reconcilePolicies } from '#lib/sync/reconcile';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { targetStoreOf } from '#lib/targets/target-store';
import type { Enrolment, TargetKey, TargetRecord, TargetSummaries } from '#lib/targets/types';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { seedAvailableRun } from '#test/support/run-builders';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';

const MEMBER = { account: '222222222222', region: 'eu-west-1' };
const RESTORE_TEST = { schedule: 'cron(0 4 * * ? *)', maxMinutes: 30 };

/** The in-memory targets table, counting each policy's listings and each target's writes. */
class CountingTargetTable extends InMemoryTargetTable {
  readonly listings = new Map<string, number>();
  readonly writes = new Map<string, number>();

  private count(counts: Map<string, number>, key: string): void {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  override listByPolicy(policyId: string): AsyncIterable<TargetRecord> {
    this.count(this.listings, policyId);
    return super.listByPolicy(policyId);
  }

  override enrol(enrolment: Enrolment): Promise<boolean> {
    this.count(this.writes, `enrol ${enrolment.policyId}/${enrolment.cacheName}`);
    return super.enrol(enrolment);
  }

  override retire(key: TargetKey, retiredAt: string, reason: string): Promise<boolean> {
    this.count(this.writes, `retire ${key.policyId}/${key.cacheName}`);
    return super.retire(key, retiredAt, reason);
  }

  override advance(key: TargetKey, from: string, to: string, summaries: TargetSummaries): Promise<void> {
    this.count(this.writes, `advance ${key.policyId}/${key.cacheName}`);
    return super.advance(key, from, to, summaries);
  }

  reset(): void {
    this.listings.clear();
    this.writes.clear();
  }
}

/**
 * Four `targets` policies with restore tests, three in the own account and region and one in a member's:
 * `steady` in sync, `edited` changed since its targets were enrolled, `orphan` whose one cache was deleted,
 * `member` in sync in the member placement. Reconcile runs at 04:05, just after the restore-test slot.
 */
async function arrange() {
  const own = new FakeSnapshotGateway();
  own.addCache('orders', { tags: { tier: 'gold' } });
  own.addCache('cart', { tags: { tier: 'gold' } });
  own.addCache('ledger', { tags: { tier: 'silver' } });
  own.addCache('search');
  const time = new FakeTime('2025-03-01T03:50:00.000Z');
  const placements = new FakePlacements(own, time.clock);
  const member = placements.add(MEMBER);
  member.addCache('journal', { tags: { tier: 'gold' } });
  const policies = new InMemoryPolicyStore();
  const runs = new InMemoryRunStore();
  const table = new CountingTargetTable();
  const restoreTests = new InMemoryRestoreTestStore();
  const deps: ReconcileDeps = {
    policies,
    runs,
    targets: targetStoreOf(policies, table),
    placements,
    clock: time.clock,
    settings: DEPLOYED_SETTINGS,
  };
  const restore: DueRestoreTestDeps = {
    restoreTests,
    targets: table,
    policies,
    clock: time.clock,
    deployment: 'cache-snapshot-orchestrator-test',
  };
  const put = async (item: PolicyItem) => {
    await policies.put(item);
    await syncPolicyItem(deps, item);
  };
  const base = { schedule: 'cron(0 3 * * ? *)', restoreTest: RESTORE_TEST };
  await put({ policyId: 'steady', ...base, targets: { tags: { tier: 'gold' } } });
  await put({ policyId: 'edited', ...base, targets: { names: ['search'] } });
  await put({ policyId: 'orphan', ...base, targets: { names: ['cart'] } });
  await put({ policyId: 'member', ...base, ...MEMBER, targets: { tags: { tier: 'gold' } } });
  const edited = await policies.get('edited');
  await policies.put({ ...edited, policyId: 'edited', targets: { tags: { tier: 'silver' } } });
  own.removeCache('cart');
  time.set(new Date(Date.parse('2025-03-01T04:00:00.000Z') + 5 * MINUTE_MS).toISOString());
  forget(table, own, member);
  return { deps, restore, table, own, member, time, runs };
}

/** The counts so far set to zero. */
function forget(table: CountingTargetTable, ...gateways: FakeSnapshotGateway[]): void {
  table.reset();
  for (const gateway of gateways) gateway.calls.length = 0;
}

/** Discovery and existence checks a gateway received: DescribeServerlessCaches and ListTagsForResource. */
function discoveryCalls(gateway: FakeSnapshotGateway) {
  return {
    listCaches: gateway.count('listCaches'),
    getCache: gateway.count('getCache'),
    listTags: gateway.count('listTags'),
  };
}

describe('the reads and writes of one reconcile pass', () => {
  it('lists a targets policy’s targets once, twice when its enrolment wrote, each target written once and each placement listed once', async () => {
    const { deps, restore, table, own, member } = await arrange();

    const summary = await reconcilePolicies(deps, restore);
    // Before: 5 listings of `edited` (its sync's enrolment, the fleet pass's, the recovery points, the
    // restore-test ages, the due restore tests) and 4 of each other policy. Now the enrolment's listing,
    // and once more for the reports of a policy whose enrolment wrote a target.
    expect(Object.fromEntries(table.listings)).toEqual({ edited: 2, steady: 2, orphan: 2, member: 1 });
    expect(Object.fromEntries(table.writes)).toEqual({
      'enrol edited/ledger': 1,
      'retire edited/search': 1,
      'retire steady/cart': 1,
      'retire orphan/cart': 1,
    });
    expect(discoveryCalls(own)).toEqual({ listCaches: 1, getCache: 0, listTags: 3 });
    expect(discoveryCalls(member)).toEqual({ listCaches: 1, getCache: 0, listTags: 1 });
    // Every enrolment and retirement of the pass is counted, the re-synced policy's (edited) included.
    expect(summary).toMatchObject({
      synced: 1,
      targetsEnrolled: 1,
      targetsRetired: 3,
      restoreTestsStarted: 3,
      unprotectedCaches: 1,
    });
  });

  it('lists each targets policy’s targets once and writes none when the pass changes nothing', async () => {
    const { deps, restore, table, own, member, time } = await arrange();
    await reconcilePolicies(deps, restore);
    forget(table, own, member);
    time.set('2025-03-01T04:20:00.000Z');

    await reconcilePolicies(deps, restore);

    expect(Object.fromEntries(table.listings)).toEqual({ edited: 1, steady: 1, orphan: 1, member: 1 });
    expect(table.writes.size).toBe(0);
    expect(discoveryCalls(own)).toEqual({ listCaches: 1, getCache: 0, listTags: 3 });
  });

  it('reads a policy’s targets again for the recovery points when the snapshot check moved one back', async () => {
    const { deps, restore, table, own, member, time, runs } = await arrange();
    await reconcilePolicies(deps, restore);
    const steady = await deps.policies.get('steady');
    const policy = policyForTarget(parsePolicy(steady ?? {}), 'orders');
    const older = await seedAvailableRun(runs, own, policy, '2025-02-27T03:00:00.000Z');
    const newest = await seedAvailableRun(runs, own, policy, '2025-02-28T03:00:00.000Z');
    await table.recordSummaries(
      { policyId: 'steady', cacheName: 'orders' },
      {
        newestSnapshot: {
          slot: newest.slot,
          snapshotName: newest.snapshotName,
          takenAt: newest.slot,
          availableAt: newest.slot,
        },
      },
    );
    own.removeSnapshot(newest.snapshotName);
    forget(table, own, member);
    time.set('2025-03-01T04:20:00.000Z');

    const summary = await reconcilePolicies(deps, restore);

    expect(Object.fromEntries(table.listings)).toEqual({ edited: 1, steady: 2, orphan: 1, member: 1 });
    // The worst recovery point is the moved-back one: the older snapshot's, not the deleted one's.
    const age = (Date.parse('2025-03-01T04:20:00.000Z') - Date.parse(older.slot)) / 1000;
    expect(summary).toMatchObject({ snapshotsGone: 1, maxNewestSnapshotAgeSeconds: age });
  });
});
