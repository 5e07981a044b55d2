import { describe, expect, it } from 'vitest';
import { type CoveringPolicy, computeCoverage } from '#lib/fleet/coverage';
import { OPT_OUT_TAG } from '#lib/fleet/match-selector';
import type { FleetCache } from '#lib/fleet/types';
import { cacheKey } from '#lib/placements/placement';
import type { PolicyState } from '#lib/policy/types';
import { HOME } from '#test/support/fake-placements';
import { fleetCache, fleetPolicy, THROTTLED } from '#test/support/fleet-builders';

const GOLD = { tags: { tier: 'gold' }, excludeTags: { env: 'dev' }, excludeNames: ['*-scratch'] };

function covering(
  policyId: string,
  covers: string | Record<string, unknown>,
  state: PolicyState = 'ACTIVE',
  targets?: string[],
): CoveringPolicy {
  return { policy: fleetPolicy(policyId, covers), state, ...(targets ? { targets } : {}) };
}

function rowsOf(caches: FleetCache[], policies: CoveringPolicy[], newest?: Map<string, string>) {
  return computeCoverage({ placement: HOME, fleet: { caches }, policies, newestAvailableAt: newest }).rows;
}

function rowOf(cache: FleetCache, policies: CoveringPolicy[]) {
  const [row] = rowsOf([cache], policies);
  return row;
}

describe('computeCoverage', () => {
  it('marks a cache an ACTIVE selector chooses PROTECTED, with the policy and its newest snapshot', () => {
    const rows = rowsOf(
      [fleetCache('orders', { engine: 'redis', tags: { tier: 'gold' } })],
      [covering('gold', GOLD)],
      new Map([[cacheKey(HOME, 'orders'), '2026-03-01T03:04:00.000Z']]),
    );

    expect(rows).toEqual([
      {
        cacheName: 'orders',
        account: HOME.account,
        region: HOME.region,
        engine: 'redis',
        status: 'PROTECTED',
        policies: ['gold'],
        newestAvailableAt: '2026-03-01T03:04:00.000Z',
        reason: null,
      },
    ]);
  });

  it('lists every ACTIVE policy that targets a cache, sorted, and null when no snapshot is known', () => {
    const row = rowOf(fleetCache('orders', { tags: { tier: 'gold' } }), [
      covering('orders-hourly', 'orders'),
      covering('gold', GOLD),
    ]);

    expect(row).toMatchObject({
      status: 'PROTECTED',
      policies: ['gold', 'orders-hourly'],
      newestAvailableAt: null,
    });
  });

  it('counts an explicit cacheName policy on an opted-out cache as protection', () => {
    const row = rowOf(fleetCache('orders', { tags: { tier: 'gold', [OPT_OUT_TAG]: 'true' } }), [
      covering('gold', GOLD),
      covering('orders-hourly', 'orders'),
    ]);

    expect(row).toMatchObject({ status: 'PROTECTED', policies: ['orders-hourly'], reason: null });
  });

  it('marks a cache a selector would have chosen but excludeTags removed EXCLUDED, naming the policy and tag', () => {
    const row = rowOf(fleetCache('orders', { tags: { tier: 'gold', env: 'dev' } }), [covering('gold', GOLD)]);

    expect(row).toMatchObject({
      status: 'EXCLUDED',
      policies: [],
      reason: 'gold: excludeTags: tagged env = dev',
    });
  });

  it('marks a cache excludeNames removed EXCLUDED', () => {
    const row = rowOf(fleetCache('orders-scratch', { tags: { tier: 'gold' } }), [covering('gold', GOLD)]);

    expect(row).toMatchObject({ status: 'EXCLUDED', reason: 'gold: excludeNames: matches *-scratch' });
  });

  it('marks an opted-out cache EXCLUDED, whether or not a selector would have chosen it', () => {
    const chosen = rowOf(fleetCache('a', { tags: { tier: 'gold', [OPT_OUT_TAG]: 'true' } }), [
      covering('gold', GOLD),
    ]);
    const unchosen = rowOf(fleetCache('b', { tags: { [OPT_OUT_TAG]: 'TRUE' } }), [covering('gold', GOLD)]);

    expect(chosen).toMatchObject({
      status: 'EXCLUDED',
      reason: `gold: opted out: tagged ${OPT_OUT_TAG} = true`,
    });
    expect(unchosen).toMatchObject({ status: 'EXCLUDED', reason: `opted out: tagged ${OPT_OUT_TAG} = TRUE` });
  });

  it('marks a cache no policy names or selects UNPROTECTED, saying so (engine null when unknown)', () => {
    const cache = { ...fleetCache('orders', { tags: { tier: 'silver' } }), engine: undefined };

    const row = rowOf(cache, [covering('gold', GOLD)]);

    expect(row).toEqual({
      cacheName: 'orders',
      account: HOME.account,
      region: HOME.region,
      engine: null,
      status: 'UNPROTECTED',
      policies: [],
      newestAvailableAt: null,
      reason: 'no ACTIVE policy names or selects it',
    });
  });

  it('does not count a DISABLED or INVALID policy as protection, and says which would cover it', () => {
    const row = rowOf(fleetCache('orders', { tags: { tier: 'gold' } }), [
      covering('gold', GOLD, 'DISABLED'),
      covering('orders-hourly', 'orders', 'INVALID', ['orders']),
    ]);

    expect(row).toMatchObject({
      status: 'UNPROTECTED',
      reason: 'gold would cover it but is DISABLED; orders-hourly would cover it but is INVALID',
    });
  });

  it('marks a cache whose tags could not be read UNPROTECTED with the fault, when no enrolled target covers it', () => {
    const row = rowOf(fleetCache('orders', { tagsError: THROTTLED }), [covering('gold', GOLD)]);

    expect(row).toMatchObject({
      status: 'UNPROTECTED',
      reason: 'gold: its tags could not be read (Throttling: Rate exceeded)',
    });
  });

  it('goes by the enrolled targets when given: an enrolled cache stays PROTECTED while its tags are unreadable', () => {
    const rows = rowsOf(
      [fleetCache('orders', { tagsError: THROTTLED }), fleetCache('carts', { tags: { tier: 'gold' } })],
      [covering('gold', GOLD, 'ACTIVE', ['orders'])],
    );

    expect(rows.map((row) => [row.cacheName, row.status, row.reason])).toEqual([
      ['carts', 'UNPROTECTED', 'chosen by gold, not enrolled yet'],
      ['orders', 'PROTECTED', null],
    ]);
  });

  it('reports an exclusion before a pending enrolment by another policy', () => {
    const row = rowOf(fleetCache('orders', { tags: { tier: 'gold', env: 'dev' } }), [
      covering('gold', GOLD),
      covering('all', { names: ['*'] }, 'ACTIVE', []),
    ]);

    expect(row).toMatchObject({
      status: 'EXCLUDED',
      reason: 'gold: excludeTags: tagged env = dev; chosen by all, not enrolled yet',
    });
  });

  it('gives one row per cache, ordered by name', () => {
    const rows = rowsOf([fleetCache('b'), fleetCache('c'), fleetCache('a')], []);

    expect(rows.map((row) => row.cacheName)).toEqual(['a', 'b', 'c']);
  });
});

describe('coverage warnings', () => {
  it('warns about an ACTIVE selector that chooses no cache, counting caches whose tags could not be read', () => {
    const report = computeCoverage({
      placement: HOME,
      fleet: { caches: [fleetCache('a'), fleetCache('b', { tagsError: THROTTLED })] },
      policies: [covering('gold', GOLD), covering('none', { names: ['zzz-*'] })],
    });

    expect(report.warnings).toEqual([
      {
        policyId: 'gold',
        message:
          'targets: chooses none of the 2 caches of account 111111111111 in region us-east-1 (1 whose tags could not be read may match)',
      },
      {
        policyId: 'none',
        message: 'targets: chooses none of the 2 caches of account 111111111111 in region us-east-1',
      },
    ]);
  });

  it('does not warn about a selector that chooses a cache, an inactive one, or a cacheName policy', () => {
    const report = computeCoverage({
      placement: HOME,
      fleet: { caches: [fleetCache('orders', { tags: { tier: 'gold' } })] },
      policies: [
        covering('gold', GOLD),
        covering('off', { names: ['x'] }, 'DISABLED'),
        covering('gone', 'gone'),
      ],
    });

    expect(report.warnings).toEqual([]);
  });
});
