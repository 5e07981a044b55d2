import { describe, expect, it } from 'vitest';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import type { PolicyItem } from '#lib/policy/types';
import { restoreTestAge, targetRestoreTestAges } from '#lib/restore-tests/report-restore-test-age';
import { startDueRestoreTests } from '#lib/restore-tests/start-due-restore-tests';
import { startRestoreTest, targetsInFlight } from '#lib/restore-tests/start-restore-test';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import { policyItem } from '#test/support/policy-builders';
import { RestoreTestHarness } from '#test/support/restore-test-harness';

const SLOT = '2026-03-23T04:00:00.000Z';

/** The harness's policy as stored: ACTIVE since a week before, restore tests daily at 04:00 UTC. */
function activeItem(overrides: Partial<PolicyItem> = {}): PolicyItem {
  return {
    ...policyItem('nightly', { restoreTest: { schedule: 'cron(0 4 * * ? *)', maxMinutes: 30 } }),
    state: 'ACTIVE',
    activatedAt: '2026-03-16T00:00:00.000Z',
    ...overrides,
  };
}

describe('starting restore tests', () => {
  it('creates exactly one record per policy, cache and slot, whoever asks at once', async () => {
    const harness = new RestoreTestHarness(SLOT);
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => startRestoreTest(harness.deps, harness.policy, 'orders', SLOT, new Set())),
    );

    expect(outcomes.filter((outcome) => outcome.started)).toHaveLength(1);
    expect(harness.restoreTests.all()).toHaveLength(1);
    expect(outcomes.find((outcome) => !outcome.started)?.record?.slot).toBe(SLOT);
  });

  it('starts none for a target whose previous test is still in flight', async () => {
    const harness = new RestoreTestHarness(SLOT);
    await harness.start('2026-03-22T04:00:00.000Z');

    const inFlight = await targetsInFlight(harness.deps);
    const outcome = await startRestoreTest(harness.deps, harness.policy, 'orders', SLOT, inFlight);

    expect(outcome).toEqual({ started: false, inFlight: true });
    expect(harness.restoreTests.all()).toHaveLength(1);
  });

  it('starts the latest slot of each ACTIVE policy with restoreTest, once, within a day of it', async () => {
    const harness = new RestoreTestHarness('2026-03-23T04:10:00.000Z');
    const items = [activeItem(), activeItem({ policyId: 'plain', restoreTest: undefined })];

    expect(await startDueRestoreTests(harness.deps, items)).toBe(1);
    const [record] = harness.restoreTests.all();
    expect(record).toMatchObject({
      policyId: 'nightly',
      cacheName: 'orders',
      slot: SLOT,
      status: 'RESTORING',
    });

    const summarized = await harness.policies.get('nightly');
    expect(await startDueRestoreTests(harness.deps, [summarized as PolicyItem])).toBe(0);
    harness.time.set('2026-03-25T05:00:00.000Z');
    expect(
      await startDueRestoreTests(harness.deps, [activeItem({ activatedAt: '2026-03-25T04:30:00.000Z' })]),
    ).toBe(0);
  });

  it('starts the slot for each ACTIVE target of a targets policy, none for a retired one', async () => {
    const harness = new RestoreTestHarness('2026-03-23T04:10:00.000Z');
    const enrol = (cacheName: string) =>
      harness.targets.enrol({
        policyId: 'fleet',
        cacheName,
        nextRunAt: '2026-03-23T05:00:00.000Z',
        enrolledAt: '2026-03-16T00:00:00.000Z',
      });
    await enrol('orders');
    await enrol('cart');
    await enrol('legacy');
    await harness.targets.retire(
      { policyId: 'fleet', cacheName: 'legacy' },
      '2026-03-20T00:00:00.000Z',
      'gone',
    );
    const fleet = activeItem({
      policyId: 'fleet',
      cacheName: undefined,
      targets: { tags: { tier: 'gold' } },
    });

    expect(await startDueRestoreTests(harness.deps, [fleet])).toBe(2);
    expect(harness.restoreTests.all().map((record) => `${record.cacheName}@${record.slot}`)).toEqual([
      `cart@${SLOT}`,
      `orders@${SLOT}`,
    ]);
  });

  it('starts nothing for policies that are not ACTIVE or have no restore-test slot yet', async () => {
    const harness = new RestoreTestHarness('2026-03-23T03:59:00.000Z');
    const items = [
      activeItem({ state: 'DISABLED' }),
      activeItem({ activatedAt: '2026-03-23T03:00:00.000Z' }),
    ];

    expect(await startDueRestoreTests(harness.deps, items)).toBe(0);
    expect(harness.restoreTests.all()).toHaveLength(0);
  });
});

describe('restore-test age', () => {
  it('is the days since the newest VERIFIED test, less alarmAfterDays for the overdue figure', () => {
    const item = activeItem({
      restoreTest: { schedule: 'cron(0 4 ? * SUN *)', alarmAfterDays: 8 },
      lastVerifiedRestoreTest: {
        cacheName: 'orders',
        slot: SLOT,
        status: 'VERIFIED',
        at: SLOT,
        verifiedAt: SLOT,
      },
    });

    expect(restoreTestAge(item, new Date('2026-04-02T16:00:00.000Z'))).toEqual({
      policyId: 'nightly',
      ageDays: 10.5,
      overdueDays: 2.5,
    });
  });

  it('is each ACTIVE target’s own for a targets policy: since its newest VERIFIED test, else since it was enrolled', async () => {
    const targets = new InMemoryTargetTable();
    for (const cacheName of ['orders', 'cart', 'legacy']) {
      await targets.enrol({
        policyId: 'fleet',
        cacheName,
        nextRunAt: SLOT,
        enrolledAt: '2026-03-20T00:00:00.000Z',
      });
    }
    await targets.retire({ policyId: 'fleet', cacheName: 'legacy' }, SLOT, 'gone');
    const tests: Record<string, Partial<RestoreTestRecord>[]> = {
      orders: [
        { status: 'VERIFIED', verifiedAt: '2026-03-22T04:00:00.000Z' },
        { status: 'VERIFIED', verifiedAt: '2026-03-23T04:00:00.000Z' },
      ],
      cart: [{ status: 'FAILED' }],
    };
    const restoreTests = {
      async *listOfTarget(_policyId: string, cacheName: string) {
        yield* (tests[cacheName] ?? []) as RestoreTestRecord[];
      },
    };
    const fleet = activeItem({
      policyId: 'fleet',
      cacheName: undefined,
      targets: { tags: { tier: 'gold' } },
      restoreTest: { schedule: 'cron(0 4 * * ? *)', alarmAfterDays: 2 },
    });
    const now = new Date('2026-03-24T04:00:00.000Z');

    expect(restoreTestAge(fleet, now)).toBeUndefined();
    expect(await targetRestoreTestAges({ targets, restoreTests }, [fleet], now)).toEqual([
      { policyId: 'fleet', cacheName: 'cart', ageDays: 4.17, overdueDays: 2.17 },
      { policyId: 'fleet', cacheName: 'orders', ageDays: 1, overdueDays: -1 },
    ]);
  });

  it('counts from activation while no test was VERIFIED, and is none without restoreTest', () => {
    expect(restoreTestAge(activeItem(), new Date('2026-03-18T00:00:00.000Z'))?.ageDays).toBe(2);
    expect(restoreTestAge(activeItem({ restoreTest: undefined }), new Date(SLOT))).toBeUndefined();
  });
});
