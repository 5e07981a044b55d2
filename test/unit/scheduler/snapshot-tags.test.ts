import { describe, expect, it } from 'vitest';
import { newRunFor } from '#lib/runs/new-run';
import { MAX_TAGS_PER_RESOURCE } from '#lib/scheduler/snapshot-tags';
import { MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { SchedulerHarness, TEST_DEPLOYMENT } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';

/** `count` tags `<prefix>0..`: `v`. */
function manyTags(prefix: string, count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, 'v']));
}

async function harnessWith(cacheTags: Record<string, string>, overrides: Record<string, unknown> = {}) {
  const item = policyItem('orders-hourly', { copyCacheTags: true, ...overrides });
  const h = new SchedulerHarness({ start: SLOT, caches: [] });
  h.gateway.addCache('orders', { tags: cacheTags });
  await putActivePolicy(h.policies, item, SLOT);
  return { h, name: newRunFor(policyOf(item), new Date(SLOT), TEST_DEPLOYMENT, HOME).snapshotName };
}

describe('copyCacheTags', () => {
  it('copies the cache’s own tags onto its snapshot, not aws: keys nor managed keys; the policy’s tags win a shared key', async () => {
    const { h, name } = await harnessWith(
      {
        team: 'checkout',
        'cost-center': 'cc-7',
        'aws:cloudformation:stack-name': 'shop',
        'AWS:Other': 'x',
        [MANAGED_TAGS.policyId]: 'forged',
        [MANAGED_TAGS.keep]: 'true',
      },
      { tags: { team: 'payments' } },
    );

    await h.tick(SLOT);

    expect(h.gateway.tagsOf(name)).toEqual({
      team: 'payments',
      'cost-center': 'cc-7',
      [MANAGED_TAGS.managedBy]: 'cache-snapshot-orchestrator',
      [MANAGED_TAGS.deployment]: TEST_DEPLOYMENT,
      [MANAGED_TAGS.policyId]: 'orders-hourly',
      [MANAGED_TAGS.slot]: SLOT,
    });
  });

  it('reads no cache tags when the policy does not ask for them', async () => {
    const { h, name } = await harnessWith({ team: 'checkout' }, { copyCacheTags: false });

    await h.tick(SLOT);

    expect(h.gateway.tagsOf(name)).not.toHaveProperty('team');
    expect(h.gateway.count('listTags')).toBe(0);
  });

  it('takes a snapshot whose tags add up to exactly the limit', async () => {
    const { h, name } = await harnessWith(manyTags('c', MAX_TAGS_PER_RESOURCE - 4 - 10), {
      tags: manyTags('p', 10),
    });

    await h.tick(SLOT);

    expect(Object.keys(h.gateway.tagsOf(name) ?? {})).toHaveLength(MAX_TAGS_PER_RESOURCE);
    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({ status: 'REQUESTED' });
  });

  it('ends the run FAILED TooManyTags, naming the counts and the limit, when they would not fit, and creates nothing', async () => {
    const { h } = await harnessWith(manyTags('c', 40), { tags: { ...manyTags('p', 10), c0: 'policy' } });

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'FAILED',
      lastError: {
        code: 'TooManyTags',
        message:
          'the snapshot would carry 54 tags (4 managed, 11 from the policy, 39 copied from cache orders by copyCacheTags); ' +
          'ElastiCache allows 50 per resource. Nothing was created: remove tags from the cache or the policy, or set copyCacheTags to false',
      },
    });
    expect(h.gateway.count('createSnapshot')).toBe(0);
  });

  it('makes a throttled read of the cache’s tags a durable retry, not a snapshot without them', async () => {
    const { h } = await harnessWith({ team: 'checkout' });
    h.gateway.failNext('listTags', serviceFault('transient'));

    await h.tick(SLOT);

    expect(await h.requireRun('orders-hourly', SLOT)).toMatchObject({
      status: 'RETRYING',
      lastError: {
        code: 'Throttling',
        message: expect.stringMatching(/^reading the tags of cache orders to copy them: /),
      },
    });
    expect(h.gateway.count('createSnapshot')).toBe(0);
  });
});
