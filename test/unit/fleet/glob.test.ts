import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMatchingGlob, matchesGlob } from '#lib/fleet/glob';

/** The meaning of a glob, as a regular expression: fine as a reference on short inputs. */
function reference(glob: string, name: string): boolean {
  const pattern = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char)).join('');
  return new RegExp(`^${pattern}$`).test(name);
}

describe('matchesGlob', () => {
  it.each([
    ['orders', 'orders', true],
    ['orders', 'orders-eu', false],
    ['orders-*', 'orders-eu', true],
    ['orders-*', 'orders-', true],
    ['orders-*', 'orders', false],
    ['*', 'anything-1', true],
    ['*-eu', 'orders-eu', true],
    ['*-eu', 'orders-us', false],
    ['cart-??', 'cart-01', true],
    ['cart-??', 'cart-1', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['**', '', true],
    ['?', '', false],
  ])('%s on %s: %s', (glob, name, expected) => {
    expect(matchesGlob(glob, name)).toBe(expected);
  });

  it('agrees with a regular expression on every short glob and name', () => {
    const text = (units: string[]) => fc.string({ unit: fc.constantFrom(...units), maxLength: 8 });
    fc.assert(
      fc.property(text(['a', 'b', '-', '*', '?']), text(['a', 'b', '-']), (glob, name) => {
        expect(matchesGlob(glob, name)).toBe(reference(glob, name));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers a glob made to make a backtracking matcher take exponential time, at once', () => {
    const glob = `${'a*'.repeat(100)}b`;

    expect(matchesGlob(glob, 'a'.repeat(255))).toBe(false);
    expect(matchesGlob(glob, `${'a'.repeat(254)}b`)).toBe(true);
  });
});

describe('firstMatchingGlob', () => {
  it('names the first glob that matches, or none', () => {
    expect(firstMatchingGlob(['x-*', 'orders-*', '*'], 'orders-eu')).toBe('orders-*');
    expect(firstMatchingGlob(['x-*'], 'orders-eu')).toBeUndefined();
    expect(firstMatchingGlob([], 'orders-eu')).toBeUndefined();
  });
});
