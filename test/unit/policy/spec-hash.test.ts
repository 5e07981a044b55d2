import { describe, expect, it } from 'vitest';
import { computeSpecHash, operatorAttributes } from '#lib/policy/parse-policy';

const ITEM = {
  policyId: 'orders-hourly',
  cacheName: 'orders',
  schedule: 'cron(0 * * * ? *)',
  tags: { team: 'payments', env: 'prod' },
  retention: { maxCount: 7, minCount: 2 },
};

describe('computeSpecHash', () => {
  it('is 16 hex characters and the same on every call', () => {
    expect(computeSpecHash(ITEM)).toMatch(/^[0-9a-f]{16}$/);
    expect(computeSpecHash(ITEM)).toBe(computeSpecHash(structuredClone(ITEM)));
  });

  it('does not depend on the order of keys, at any depth', () => {
    const reordered = {
      retention: { minCount: 2, maxCount: 7 },
      tags: { env: 'prod', team: 'payments' },
      schedule: 'cron(0 * * * ? *)',
      cacheName: 'orders',
      policyId: 'orders-hourly',
    };

    expect(computeSpecHash(reordered)).toBe(computeSpecHash(ITEM));
  });

  it('ignores the attributes the orchestrator writes', () => {
    const synced = {
      ...ITEM,
      state: 'ACTIVE',
      stateReason: 'ok',
      nextRunAt: '2026-01-01T00:00:00.000Z',
      specHash: 'x',
    };

    expect(computeSpecHash(synced)).toBe(computeSpecHash(ITEM));
  });

  it('changes when an operator attribute changes, deep or not', () => {
    const hash = computeSpecHash(ITEM);

    expect(computeSpecHash({ ...ITEM, schedule: 'cron(0 2 * * ? *)' })).not.toBe(hash);
    expect(computeSpecHash({ ...ITEM, tags: { ...ITEM.tags, env: 'dev' } })).not.toBe(hash);
    expect(computeSpecHash({ ...ITEM, enabled: false })).not.toBe(hash);
  });

  it('changes when an unknown attribute is added, since that makes the record invalid', () => {
    expect(computeSpecHash({ ...ITEM, colour: 'blue' })).not.toBe(computeSpecHash(ITEM));
  });

  it('tells values of different types apart and sorts sets', () => {
    expect(computeSpecHash({ ...ITEM, startWindowMinutes: 60 })).not.toBe(
      computeSpecHash({ ...ITEM, startWindowMinutes: '60' }),
    );
    expect(computeSpecHash({ ...ITEM, extra: new Set(['a', 'b']) })).toBe(
      computeSpecHash({ ...ITEM, extra: new Set(['b', 'a']) }),
    );
    expect(computeSpecHash({ ...ITEM, extra: new Set(['a']) })).not.toBe(
      computeSpecHash({ ...ITEM, extra: ['a'] }),
    );
  });
});

describe('operatorAttributes', () => {
  it('keeps everything but the orchestrator attributes', () => {
    expect(
      operatorAttributes({ ...ITEM, state: 'ACTIVE', lastRun: {}, colour: 'blue', kmsKeyId: undefined }),
    ).toEqual({
      ...ITEM,
      colour: 'blue',
    });
  });
});
