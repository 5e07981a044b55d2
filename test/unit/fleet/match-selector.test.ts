import { describe, expect, it } from 'vitest';
import { judgeFleet, matchSelector, OPT_OUT_TAG, selectTargets } from '#lib/fleet/match-selector';
import type { TargetSelector } from '#lib/policy/types';
import { fleetCache, fleetPolicy, THROTTLED } from '#test/support/fleet-builders';

function selectorOf(targets: Record<string, unknown>): TargetSelector {
  const policy = fleetPolicy('p', targets);
  if (policy.targets === undefined) throw new Error('expected a targets policy');
  return policy.targets;
}

const GOLD = selectorOf({ tags: { tier: 'gold' } });

describe('matchSelector', () => {
  it('selects a cache that carries every listed tag with that value', () => {
    const selector = selectorOf({ tags: { tier: 'gold', team: 'checkout' } });

    expect(
      matchSelector(selector, fleetCache('orders', { tags: { tier: 'gold', team: 'checkout', x: 'y' } })),
    ).toEqual({
      verdict: 'selected',
    });
    expect(matchSelector(selector, fleetCache('orders', { tags: { tier: 'gold' } }))).toEqual({
      verdict: 'not-matched',
      reason: 'tags: wants team = checkout, it has no tag team',
    });
    expect(
      matchSelector(selector, fleetCache('orders', { tags: { tier: 'silver', team: 'checkout' } })),
    ).toEqual({
      verdict: 'not-matched',
      reason: 'tags: wants tier = gold, it has tier = silver',
    });
  });

  it('lets the tag value * match any value, the empty one included, but not a missing tag', () => {
    const selector = selectorOf({ tags: { team: '*' } });

    expect(matchSelector(selector, fleetCache('a', { tags: { team: '' } })).verdict).toBe('selected');
    expect(matchSelector(selector, fleetCache('a', { tags: { team: 'x' } })).verdict).toBe('selected');
    expect(matchSelector(selector, fleetCache('a', { tags: {} })).verdict).toBe('not-matched');
  });

  it('selects by name when one glob matches, every name when names is absent', () => {
    const selector = selectorOf({ names: ['orders-*', 'cart-??'] });

    expect(matchSelector(selector, fleetCache('cart-01')).verdict).toBe('selected');
    expect(matchSelector(selector, fleetCache('sessions'))).toEqual({
      verdict: 'not-matched',
      reason: 'names: matches none of orders-*, cart-??',
    });
    expect(matchSelector(GOLD, fleetCache('anything', { tags: { tier: 'gold' } })).verdict).toBe('selected');
  });

  it('selects only the listed engines, every engine when engines is absent', () => {
    const selector = selectorOf({ names: ['*'], engines: ['valkey', 'redis'] });

    expect(matchSelector(selector, fleetCache('a', { engine: 'redis' })).verdict).toBe('selected');
    expect(matchSelector(selector, fleetCache('a', { engine: 'memcached' }))).toEqual({
      verdict: 'not-matched',
      reason: 'engines: memcached is not one of valkey, redis',
    });
    expect(
      matchSelector(selectorOf({ names: ['*'] }), fleetCache('a', { engine: 'memcached' })).verdict,
    ).toBe('selected');
  });

  it('excludes a cache carrying any of excludeTags, * for any value', () => {
    const selector = selectorOf({ names: ['*'], excludeTags: { env: 'dev', legacy: '*' } });

    expect(matchSelector(selector, fleetCache('a', { tags: { env: 'dev' } }))).toEqual({
      verdict: 'excluded',
      reason: 'excludeTags: tagged env = dev',
    });
    expect(matchSelector(selector, fleetCache('a', { tags: { legacy: 'no' } }))).toEqual({
      verdict: 'excluded',
      reason: 'excludeTags: tagged legacy = no',
    });
    expect(matchSelector(selector, fleetCache('a', { tags: { env: 'prod' } })).verdict).toBe('selected');
  });

  it('excludes a cache matching any of excludeNames', () => {
    const selector = selectorOf({ names: ['orders-*'], excludeNames: ['*-scratch', '*-test'] });

    expect(matchSelector(selector, fleetCache('orders-test'))).toEqual({
      verdict: 'excluded',
      reason: 'excludeNames: matches *-test',
    });
    expect(matchSelector(selector, fleetCache('orders-eu')).verdict).toBe('selected');
  });

  it('excludes a cache tagged with the opt-out tag from every selector, whatever the case of true', () => {
    for (const value of ['true', 'True', ' TRUE ']) {
      expect(matchSelector(GOLD, fleetCache('a', { tags: { tier: 'gold', [OPT_OUT_TAG]: value } }))).toEqual({
        verdict: 'excluded',
        reason: `opted out: tagged ${OPT_OUT_TAG} = ${value}`,
      });
    }
    expect(
      matchSelector(GOLD, fleetCache('a', { tags: { tier: 'gold', [OPT_OUT_TAG]: 'false' } })).verdict,
    ).toBe('selected');
  });

  it('reports an exclusion only for a cache the selector would have chosen', () => {
    const selector = selectorOf({ tags: { tier: 'gold' }, excludeTags: { env: 'dev' } });

    expect(matchSelector(selector, fleetCache('a', { tags: { env: 'dev' } })).verdict).toBe('not-matched');
  });

  it('leaves a cache whose tags could not be read undetermined when its tags decide, never unmatched', () => {
    const unreadable = fleetCache('orders-1', { tagsError: THROTTLED });

    expect(matchSelector(GOLD, unreadable)).toEqual({
      verdict: 'undetermined',
      reason: 'its tags could not be read (Throttling: Rate exceeded)',
    });
    expect(matchSelector(selectorOf({ names: ['orders-*'] }), unreadable).verdict).toBe('undetermined');
  });

  it('still decides on a cache with unreadable tags what its name or engine decides', () => {
    const unreadable = fleetCache('orders-1', { engine: 'redis', tagsError: THROTTLED });

    expect(matchSelector(selectorOf({ names: ['carts-*'] }), unreadable).verdict).toBe('not-matched');
    expect(matchSelector(selectorOf({ names: ['*'], engines: ['valkey'] }), unreadable).verdict).toBe(
      'not-matched',
    );
    expect(matchSelector(selectorOf({ names: ['*'], excludeNames: ['orders-?'] }), unreadable)).toEqual({
      verdict: 'excluded',
      reason: 'excludeNames: matches orders-?',
    });
  });
});

describe('selectTargets and judgeFleet', () => {
  const fleet = [
    fleetCache('orders', { tags: { tier: 'gold' } }),
    fleetCache('carts', { tags: { tier: 'silver' } }),
    fleetCache('scratch', { tags: { tier: 'gold', [OPT_OUT_TAG]: 'true' } }),
  ];

  it('chooses the caches a targets policy selects', () => {
    const chosen = selectTargets(fleetPolicy('gold', { tags: { tier: 'gold' } }), fleet);

    expect(chosen.map((cache) => cache.name)).toEqual(['orders']);
  });

  it('chooses the named cache of a cacheName policy even when it is opted out', () => {
    const policy = fleetPolicy('scratch-daily', 'scratch');

    expect(selectTargets(policy, fleet).map((cache) => cache.name)).toEqual(['scratch']);
    expect(judgeFleet(policy, fleet).map(({ verdict }) => verdict.verdict)).toEqual([
      'not-matched',
      'not-matched',
      'selected',
    ]);
  });

  it('chooses nothing for a cacheName policy whose cache is not in the fleet', () => {
    expect(selectTargets(fleetPolicy('gone', 'gone'), fleet)).toEqual([]);
  });
});
