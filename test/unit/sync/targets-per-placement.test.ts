import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { readPlacedCoverage } from '#lib/fleet/read-coverage';
import { METRIC, metrics } from '#lib/observability';
import type { PolicyItem } from '#lib/policy/types';
import { type ReconcileDeps, reconcilePolicies } from '#lib/sync/reconcile';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements, HOME } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';
import { collect } from '#test/unit/adapters/contract/fixtures';

const MEMBER = { account: '222222222222', region: 'eu-west-1' };
const DENIED = { account: '333333333333', region: 'us-east-1' };
const GOLD = { schedule: 'cron(0 3 * * ? *)', targets: { tags: { tier: 'gold' } } };

function arrange() {
  const own = new FakeSnapshotGateway();
  own.addCache('orders', { tags: { tier: 'gold' } });
  const time = new FakeTime('2025-03-01T10:00:00.000Z');
  const placements = new FakePlacements(own, time.clock);
  const member = placements.add(MEMBER);
  member.addCache('ledger', { tags: { tier: 'gold' } });
  member.addCache('orders', { tags: { tier: 'silver' } });
  placements.add(DENIED, ['billing']);
  placements.deny(DENIED.account);
  const policies = new InMemoryPolicyStore();
  const table = new InMemoryTargetTable();
  const deps: ReconcileDeps = {
    policies,
    runs: new InMemoryRunStore(),
    targets: targetStoreOf(policies, table),
    placements,
    clock: time.clock,
    settings: DEPLOYED_SETTINGS,
  };
  const put = async (item: PolicyItem) => {
    await policies.put(item);
    await syncPolicyItem(deps, item, true);
    return policies.get(item.policyId);
  };
  const targets = async (policyId: string) =>
    (await collect(table.listByPolicy(policyId))).map(
      ({ cacheName, state, account, region }) => `${cacheName}:${state}:${account ?? '-'}/${region ?? '-'}`,
    );
  return { own, member, placements, policies, table, deps, put, targets };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('targets discovered in the account and region their policy names', () => {
  it('enrols the member account’s caches, with its account and region, and none of the own account’s', async () => {
    const { put, targets, member, own } = arrange();

    const stored = await put({ policyId: 'member-gold', ...GOLD, ...MEMBER });

    expect(stored).toMatchObject({ state: 'ACTIVE' });
    expect(await targets('member-gold')).toEqual(['ledger:ACTIVE:222222222222/eu-west-1']);
    expect(member.count('listCaches')).toBe(1);
    expect(own.count('listCaches')).toBe(0);
  });

  it('fails the discovery of a policy whose member role cannot be assumed visibly, in its reason', async () => {
    const { put, targets } = arrange();

    const stored = await put({ policyId: 'denied-gold', ...GOLD, ...DENIED });

    expect(stored?.state).toBe('ACTIVE');
    expect(stored?.stateReason).toMatch(
      /^warning: targets: the caches of account 333333333333 in region us-east-1 could not be listed \(could not assume arn:aws:iam::333333333333:role\/cache-snapshot-orchestrator-member/,
    );
    expect(await targets('denied-gold')).toEqual([]);
  });

  it('retires a target enrolled in another account than the policy names now, and enrols the cache there', async () => {
    const { put, targets } = arrange();
    await put({ policyId: 'gold', ...GOLD });
    expect(await targets('gold')).toEqual(['orders:ACTIVE:-/-']);

    await put({ policyId: 'gold', ...GOLD, ...MEMBER, targets: { names: ['*'] } });

    expect(await targets('gold')).toEqual([
      'ledger:ACTIVE:222222222222/eu-west-1',
      'orders:ACTIVE:222222222222/eu-west-1',
    ]);
  });
});

describe('reconcile per account and region', () => {
  it('lists each placement an ACTIVE policy names once, and counts UnprotectedCaches in total and per placement', async () => {
    const { put, deps, member } = arrange();
    await put({ policyId: 'own-orders', schedule: 'rate(6 hours)', cacheName: 'orders' });
    await put({ policyId: 'member-gold', ...GOLD, ...MEMBER });
    await put({ policyId: 'member-too', ...GOLD, ...MEMBER, targets: { names: ['ledger'] } });
    const before = member.count('listCaches');
    const total = vi.spyOn(metrics, 'addMetric');
    const emitted: unknown[] = [];
    vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const single = { dimensions: {}, metric: [] as unknown[] };
      emitted.push(single);
      return {
        addDimension: (name: string, value: string) => Object.assign(single.dimensions, { [name]: value }),
        addDimensions: (dimensions: object) => Object.assign(single.dimensions, dimensions),
        addMetric: (...metric: unknown[]) => single.metric.push(...metric),
      } as never;
    });

    const summary = await reconcilePolicies(deps);

    expect(member.count('listCaches') - before).toBe(1);
    // The member account's `orders` (silver) is covered by no policy there; the own `orders` is.
    expect(summary).toMatchObject({ unprotectedCaches: 1, placementsUnlisted: 0 });
    expect(total).toHaveBeenCalledWith(METRIC.UnprotectedCaches, expect.anything(), 1);
    const unprotected = emitted.filter(
      (single) => (single as { metric: unknown[] }).metric[0] === METRIC.UnprotectedCaches,
    );
    expect(unprotected).toEqual([
      {
        dimensions: { account: HOME.account, region: HOME.region },
        metric: [METRIC.UnprotectedCaches, 'Count', 0],
      },
      { dimensions: MEMBER, metric: [METRIC.UnprotectedCaches, 'Count', 1] },
    ]);
  });

  it('keeps going when one account’s role cannot be assumed: its targets stay, the other accounts are reconciled', async () => {
    const { put, deps, member, targets } = arrange();
    await put({ policyId: 'denied-gold', ...GOLD, ...DENIED });
    await put({ policyId: 'member-gold', ...GOLD, ...MEMBER });
    member.addCache('journal', { tags: { tier: 'gold' } });

    const summary = await reconcilePolicies(deps);

    // The own `orders` and the member account's silver `orders`; the denied account's `billing` is not known.
    expect(summary).toMatchObject({ placementsUnlisted: 1, targetsEnrolled: 1, unprotectedCaches: 2 });
    expect(await targets('member-gold')).toContain('journal:ACTIVE:222222222222/eu-west-1');
    expect(await targets('denied-gold')).toEqual([]);
  });
});

describe('coverage per account and region', () => {
  it('lists the own placement’s caches and those of every placement an ACTIVE policy names, each with its account and region', async () => {
    const { put, deps } = arrange();
    await put({ policyId: 'member-gold', ...GOLD, ...MEMBER });

    const { rows, warnings } = await readPlacedCoverage(deps);

    expect(
      rows.map(({ account, region, cacheName, status }) => [account, region, cacheName, status]),
    ).toEqual([
      [HOME.account, HOME.region, 'orders', 'UNPROTECTED'],
      [MEMBER.account, MEMBER.region, 'ledger', 'PROTECTED'],
      [MEMBER.account, MEMBER.region, 'orders', 'UNPROTECTED'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('keeps the placement a filter names, and lists no other', async () => {
    const { put, deps, own } = arrange();
    await put({ policyId: 'member-gold', ...GOLD, ...MEMBER });
    const before = own.count('listCaches');

    const { rows } = await readPlacedCoverage(deps, { filter: { region: 'eu-west-1' } });

    expect(rows.map((row) => `${row.account}/${row.cacheName}`)).toEqual([
      '222222222222/ledger',
      '222222222222/orders',
    ]);
    expect(own.count('listCaches')).toBe(before);
  });

  it('warns, per policy there, about a placement that cannot be listed, and keeps the other rows', async () => {
    const { put, deps } = arrange();
    await put({ policyId: 'denied-gold', ...GOLD, ...DENIED });

    const { rows, warnings } = await readPlacedCoverage(deps);

    expect(rows.map((row) => row.cacheName)).toEqual(['orders']);
    expect(warnings).toEqual([
      {
        policyId: 'denied-gold',
        message: expect.stringMatching(
          /^the caches of account 333333333333 in region us-east-1 could not be listed \(could not assume .*AccessDenied\): its caches are not in the coverage$/,
        ),
      },
    ]);
  });
});
