import { describe, expect, it } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { HOUR_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { newestSnapshotAgeSeconds } from '#lib/sync/report-rpo';
import { type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem } from '#test/support/policy-builders';

const T0 = '2025-03-01T10:20:00.000Z';

function setUp() {
  const policies = new InMemoryPolicyStore();
  const time = new FakeTime(T0);
  const deps: SyncDeps = {
    policies,
    targets: { table: new InMemoryTargetTable() },
    placements: new FakePlacements(new FakeSnapshotGateway(['orders']), time.clock),
    clock: time.clock,
  };
  const stored = async () => (await policies.get('orders-hourly')) as PolicyItem;
  return { policies, time, deps, stored };
}

describe('activatedAt', () => {
  it('records when sync moves a policy into ACTIVE and keeps it across re-syncs', async () => {
    const { policies, time, deps, stored } = setUp();
    await policies.put(policyItem('orders-hourly'));
    await syncPolicyItem(deps, await stored());
    time.advance(2 * HOUR_MS);

    await syncPolicyItem(deps, await stored(), true);

    expect(await stored()).toMatchObject({
      state: 'ACTIVE',
      activatedAt: T0,
      syncedAt: time.clock().toISOString(),
    });
  });

  it('measures the recovery point of a policy with no snapshot from its activation, not its last re-sync', async () => {
    const { policies, time, deps, stored } = setUp();
    await policies.put(policyItem('orders-hourly'));
    await syncPolicyItem(deps, await stored());
    time.advance(2 * HOUR_MS);
    await syncPolicyItem(deps, await stored(), true);

    expect(newestSnapshotAgeSeconds(await stored(), time.clock())).toBe(7200);
  });

  it('drops it when the policy leaves ACTIVE, and records the new time when it comes back', async () => {
    const { policies, time, deps, stored } = setUp();
    await policies.put(policyItem('orders-hourly'));
    await syncPolicyItem(deps, await stored());
    time.advance(HOUR_MS);
    await policies.put({ ...(await stored()), enabled: false });
    await syncPolicyItem(deps, await stored());
    const disabled = await stored();
    time.advance(HOUR_MS);
    await policies.put({ ...(await stored()), enabled: true });

    await syncPolicyItem(deps, await stored());

    expect(disabled.state).toBe('DISABLED');
    expect(disabled).not.toHaveProperty('activatedAt');
    expect(await stored()).toMatchObject({ state: 'ACTIVE', activatedAt: time.clock().toISOString() });
  });

  it('counts a policy ACTIVE since before activatedAt existed from its last sync', async () => {
    const { policies, time, deps, stored } = setUp();
    await policies.put(policyItem('orders-hourly'));
    await syncPolicyItem(deps, await stored());
    const { activatedAt: _dropped, ...legacy } = await stored();
    await policies.put(legacy);
    time.advance(HOUR_MS);

    expect(newestSnapshotAgeSeconds(await stored(), time.clock())).toBe(3600);
    await syncPolicyItem(deps, await stored(), true);
    expect((await stored()).activatedAt).toBe(T0);
  });

  it('measures from the activation when the newest-snapshot summary is malformed, never NaN', async () => {
    const { policies, time, deps, stored } = setUp();
    await policies.put(policyItem('orders-hourly'));
    await syncPolicyItem(deps, await stored());
    await policies.put({ ...(await stored()), newestSnapshot: { takenAt: 'yesterday' } as never });
    time.advance(HOUR_MS);

    expect(newestSnapshotAgeSeconds(await stored(), time.clock())).toBe(3600);
  });
});
