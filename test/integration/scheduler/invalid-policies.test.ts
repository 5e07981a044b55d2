import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyItem } from '#lib/policy/types';
import type { Simulation } from '#local/simulation';
import { createCalls, hourlyPolicy, simulationWithCaches, tagOf } from './support';

const START = new Date('2026-07-01T08:00:00.000Z');
const manyTags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, 'v']));

/** One record per rule, each breaking only that rule, with the attribute its reason must name. */
const BROKEN: Array<[string, PolicyItem, string]> = [
  ['policyId pattern', hourlyPolicy('Bad_Id', 'orders'), 'policyId'],
  ['cacheName rule', hourlyPolicy('bad-cache-name', 'Orders!'), 'cacheName'],
  ['unknown cache', hourlyPolicy('unknown-cache', 'nosuchcache'), 'cacheName'],
  ['schedule syntax', hourlyPolicy('bad-cron', 'orders', { schedule: 'cron(0 * * *)' }), 'schedule'],
  [
    'schedule too frequent',
    hourlyPolicy('too-often', 'orders', { schedule: 'cron(0,30 * * * ? *)' }),
    'schedule',
  ],
  ['rate in minutes', hourlyPolicy('rate-minutes', 'orders', { schedule: 'rate(5 minutes)' }), 'schedule'],
  ['timezone', hourlyPolicy('bad-zone', 'orders', { timezone: 'Mars/Olympus' }), 'timezone'],
  ['enabled type', hourlyPolicy('bad-enabled', 'orders', { enabled: 'yes' }), 'enabled'],
  ['namePrefix', hourlyPolicy('bad-prefix', 'orders', { namePrefix: '9lives' }), 'namePrefix'],
  ['kmsKeyId', hourlyPolicy('bad-kms', 'orders', { kmsKeyId: '' }), 'kmsKeyId'],
  ['too many tags', hourlyPolicy('many-tags', 'orders', { tags: manyTags }), 'tags'],
  ['aws: tag key', hourlyPolicy('aws-tag', 'orders', { tags: { 'aws:owner': 'x' } }), 'tags'],
  ['tag value type', hourlyPolicy('tag-type', 'orders', { tags: { team: 5 } }), 'tags'],
  ['retention maxCount', hourlyPolicy('bad-max', 'orders', { retention: { maxCount: 0 } }), 'retention'],
  [
    'retention maxAgeDays',
    hourlyPolicy('bad-age', 'orders', { retention: { maxAgeDays: 4000 } }),
    'retention',
  ],
  [
    'retention minCount',
    hourlyPolicy('bad-min', 'orders', { retention: { maxCount: 2, minCount: 3 } }),
    'retention',
  ],
  [
    'startWindowMinutes',
    hourlyPolicy('bad-window', 'orders', { startWindowMinutes: -5 }),
    'startWindowMinutes',
  ],
  ['unknown attribute', hourlyPolicy('extra-attr', 'orders', { colour: 'blue' }), 'colour'],
  ['missing schedule', { policyId: 'no-schedule', cacheName: 'orders' }, 'schedule'],
];

describe('policy records that break a rule', () => {
  let sim: Simulation;

  beforeAll(async () => {
    sim = await simulationWithCaches(new Date(START.getTime() - 60_000), ['orders', 'billing']);
    await sim.putPolicy(hourlyPolicy('orders-good', 'orders'));
    for (const [, item] of BROKEN) await sim.putPolicy(item);
    await sim.putPolicy(hourlyPolicy('billing-good', 'billing'));
  });

  afterAll(() => sim?.stop());

  it.each(BROKEN)(
    'marks a record breaking the %s rule INVALID with a reason naming the attribute',
    async (_, item, attribute) => {
      const stored = await sim.runtime.policies.get(item.policyId);
      expect(stored?.state).toBe('INVALID');
      expect(stored?.stateReason).toMatch(new RegExp(`(^|; )${attribute}[.:\\[ ]`));
      expect(stored?.nextRunAt).toBeUndefined();
    },
  );

  it('still takes the valid policies in the same tick', async () => {
    await sim.tick(START);
    const created = createCalls(sim).map((call) => tagOf(call, 'snapshot-policy-id'));
    expect(created.sort()).toEqual(['billing-good', 'orders-good']);
  });

  it('marks an ACTIVE record edited into something invalid INVALID at the next tick, and goes on', async () => {
    const active = await sim.runtime.policies.get('billing-good');
    await sim.runtime.policies.put({ ...active!, schedule: 'cron(*/10 * * * ? *)' });
    const next = new Date(START.getTime() + 60 * 60_000);
    await sim.tick(next);
    const broken = await sim.runtime.policies.get('billing-good');
    expect(broken?.state).toBe('INVALID');
    expect(broken?.stateReason).toMatch(/^schedule: /);
    const createdNow = createCalls(sim).filter((call) => tagOf(call, 'snapshot-slot') === next.toISOString());
    expect(createdNow.map((call) => tagOf(call, 'snapshot-policy-id'))).toEqual(['orders-good']);
  });
});
