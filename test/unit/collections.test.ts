import { describe, expect, it } from 'vitest';
import { BoundedCache, groupBy } from '#lib/collections';

describe('groupBy', () => {
  it('groups items by key, groups and items in the order they come', () => {
    const groups = groupBy(['b1', 'a1', 'b2'], (item) => item[0]);

    expect([...groups]).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1']],
    ]);
  });
});

describe('BoundedCache', () => {
  it('computes a key once and then answers from what it kept, undefined included', () => {
    const cache = new BoundedCache<number | undefined>(10);
    let calls = 0;
    const compute = () => {
      calls += 1;
      return undefined;
    };

    cache.get('k', compute);
    cache.get('k', compute);

    expect(calls).toBe(1);
  });

  it('keeps at most its bound, dropping the oldest key first', () => {
    const cache = new BoundedCache<string>(2);
    const computed: string[] = [];
    const get = (key: string) =>
      cache.get(key, () => {
        computed.push(key);
        return key.toUpperCase();
      });

    get('a');
    get('b');
    get('c');
    get('b');
    get('a');

    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps nothing for a computation that throws', () => {
    const cache = new BoundedCache<string>(2);

    expect(() =>
      cache.get('k', () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(cache.get('k', () => 'computed')).toBe('computed');
  });
});
