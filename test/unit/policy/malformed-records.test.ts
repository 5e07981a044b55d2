import { describe, expect, it } from 'vitest';
import { computeSpecHash, validatePolicy } from '#lib/policy/parse-policy';
import { OPERATOR_ATTRIBUTES } from '#lib/policy/types';

/** A small deterministic generator (mulberry32), so the run is repeatable. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '',
  ' ',
  'cron(0 * * * ? *)',
  'cron(0,30 * * * ? *)',
  'rate(1 day)',
  'rate(1 minute)',
  'Europe/Berlin',
  'aws:tag',
  '\u0000',
  '\ud800',
  '🕐🕑🕒',
  'x'.repeat(100_000),
  'cron(L W # ? * /)',
  '__proto__',
  'constructor',
];

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * 14);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return random() < 0.5;
    case 3:
      return [0, -1, 1.5, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53 + 2][
        Math.floor(random() * 8)
      ];
    case 4:
      return BigInt(Math.floor(random() * 1000));
    case 5:
      return new Set(['a', 'b']);
    case 6:
      return new Uint8Array([1, 2, 3]);
    case 7:
      return depth > 2
        ? {}
        : Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    case 8:
    case 9:
      return depth > 2
        ? {}
        : Object.fromEntries(
            Array.from({ length: Math.floor(random() * 5) }, () => [
              STRINGS[Math.floor(random() * STRINGS.length)] ?? 'k',
              randomValue(random, depth + 1),
            ]),
          );
    default:
      return STRINGS[Math.floor(random() * STRINGS.length)];
  }
}

describe('validatePolicy on malformed records', () => {
  it('never throws and names an attribute with a message in every issue, for 1,000 random records', () => {
    const random = randomSource(7);
    const names = [...OPERATOR_ATTRIBUTES, 'state', 'extra', '__proto__', ''];
    for (let round = 0; round < 1000; round += 1) {
      const item: Record<string, unknown> = {};
      for (const name of names) {
        if (random() < 0.6)
          Object.defineProperty(item, name, { value: randomValue(random, 0), enumerable: true });
      }

      const result = validatePolicy(item);

      if (!result.ok) {
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(typeof issue.attribute).toBe('string');
          expect(issue.message.length).toBeGreaterThan(0);
          expect(issue.message.length).toBeLessThan(1000);
        }
      }
      expect(computeSpecHash(item)).toMatch(/^[0-9a-f]{16}$/);
    }
  }, 30_000); // 1,000 validations: about a second alone, several on a loaded 2-core machine
});
