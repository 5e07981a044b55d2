import { describe, expect, it } from 'vitest';
import {
  COPY_PART_BYTES,
  copyPartsOf,
  copyRemainingParts,
  MAX_COPY_PARTS,
  MAX_SINGLE_COPY_BYTES,
} from '#lib/exports/copy-plan';

const GiB = 1024 ** 3;

describe('copyPartsOf', () => {
  it('splits an object into 512 MiB parts covering every byte once, the last one shorter', () => {
    const parts = copyPartsOf(MAX_SINGLE_COPY_BYTES + 1);

    expect(parts).toHaveLength(11);
    expect(parts[0]).toEqual({ partNumber: 1, first: 0, last: COPY_PART_BYTES - 1 });
    expect(parts.at(-1)).toEqual({
      partNumber: 11,
      first: 10 * COPY_PART_BYTES,
      last: MAX_SINGLE_COPY_BYTES,
    });
    for (const [index, part] of parts.entries()) {
      if (index > 0) expect(part.first).toBe((parts[index - 1]?.last ?? 0) + 1);
    }
  });

  it('grows the parts of a 5 TiB object so there are at most 10,000', () => {
    const bytes = 5 * 1024 * GiB;

    const parts = copyPartsOf(bytes);

    expect(parts.length).toBeLessThanOrEqual(MAX_COPY_PARTS);
    expect(parts.at(-1)?.last).toBe(bytes - 1);
  });

  it('uses the limits it is given', () => {
    expect(
      copyPartsOf(10, { maxSingleCopyBytes: 4, partBytes: 4 }).map((part) => [part.first, part.last]),
    ).toEqual([
      [0, 3],
      [4, 7],
      [8, 9],
    ]);
  });
});

describe('copyRemainingParts', () => {
  const parts = copyPartsOf(10, { maxSingleCopyBytes: 4, partBytes: 2 });

  it('copies only the parts not done yet and reports all ETags', async () => {
    const copied: number[] = [];

    const result = await copyRemainingParts(parts, new Map([[2, 'e2']]), async (part) => {
      copied.push(part.partNumber);
      return `e${part.partNumber}`;
    });

    expect(copied.sort()).toEqual([1, 3, 4, 5]);
    expect(result.complete).toBe(true);
    expect([...result.etags.entries()].sort()).toEqual([
      [1, 'e1'],
      [2, 'e2'],
      [3, 'e3'],
      [4, 'e4'],
      [5, 'e5'],
    ]);
  });

  it('starts no part once time is up and says the copy is not complete', async () => {
    let asked = 0;

    const result = await copyRemainingParts(
      parts,
      new Map(),
      async (part) => `e${part.partNumber}`,
      () => asked++ < 2,
    );

    expect(result.complete).toBe(false);
    expect(result.etags.size).toBe(2);
  });

  it('throws the first failure after the parts in flight end, starting no other part', async () => {
    const started: number[] = [];
    const failure = new Error('part 1 failed');

    const outcome = copyRemainingParts(parts, new Map(), async (part) => {
      started.push(part.partNumber);
      if (part.partNumber === 1) throw failure;
      return `e${part.partNumber}`;
    });

    await expect(outcome).rejects.toBe(failure);
    expect(started.length).toBeLessThan(parts.length);
  });
});
