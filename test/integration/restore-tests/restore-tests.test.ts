import { afterEach, describe, expect, it } from 'vitest';
import type { Simulation } from '#local/simulation';
import {
  callsOf,
  minute,
  reconcileAt,
  restoreTestOf,
  scratchCaches,
  simulationWithSnapshots,
  TEST_SLOT,
  tickMinutes,
} from './support';

describe('restore tests on the local stack', () => {
  let sim: Simulation;
  afterEach(async () => {
    await sim?.stop();
  });

  it('restores the newest snapshot into a scratch cache, is VERIFIED with its duration, and deletes it', async () => {
    sim = await simulationWithSnapshots();
    const summary = await reconcileAt(sim, minute(5));
    expect(summary.restoreTestsStarted).toBe(1);
    expect((await reconcileAt(sim, minute(6))).restoreTestsStarted).toBe(0);

    await tickMinutes(sim, minute(6), 12);

    const record = await restoreTestOf(sim);
    expect(record).toMatchObject({ kind: 'RESTORE_TEST', status: 'VERIFIED', restoreSeconds: 180 });
    expect(record.snapshotName).toMatch(/^orders-20260323-0400-/);
    expect(record.cleanedUpAt).toBeDefined();
    const [create] = callsOf(sim, 'CreateServerlessCache');
    expect(create?.params.ServerlessCacheName).toBe(record.scratchCacheName);
    expect(callsOf(sim, 'CreateServerlessCache')).toHaveLength(1);
    expect(callsOf(sim, 'DeleteServerlessCache')).toHaveLength(1);
    expect(scratchCaches(sim)).toEqual([]);
    const policy = await sim.runtime.policies.get('nightly');
    expect(policy?.lastVerifiedRestoreTest).toMatchObject({ slot: TEST_SLOT, restoreSeconds: 180 });
    const events = sim.stack.eventBridge
      .events()
      .filter((event) => event.detailType === 'Restore Test State Change');
    expect(events.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        status: 'RESTORING',
        previousStatus: null,
        kind: 'RESTORE_TEST',
        slot: TEST_SLOT,
      }),
      expect.objectContaining({
        status: 'VERIFIED',
        previousStatus: 'RESTORING',
        snapshotName: record.snapshotName,
        attempts: 1,
        error: null,
        account: '123456789012',
      }),
    ]);
  });

  it('ends FAILED CreateFailed when ElastiCache cannot restore the snapshot, and deletes the failed cache', async () => {
    sim = await simulationWithSnapshots();
    sim.stack.emulator.failNextCacheCreations(1);
    await reconcileAt(sim, minute(5));

    await tickMinutes(sim, minute(6), 12);

    const record = await restoreTestOf(sim);
    expect(record.status).toBe('FAILED');
    expect(record.lastError?.code).toBe('CreateFailed');
    expect(record.lastError?.message).toContain(record.scratchCacheName);
    expect(record.cleanedUpAt).toBeDefined();
    expect(scratchCaches(sim)).toEqual([]);
  });

  it('retries deletes that fail until the scratch cache is gone', async () => {
    sim = await simulationWithSnapshots();
    const refusal = { kind: 'fault', code: 'AccessDenied', httpStatus: 400, message: 'not allowed' } as const;
    sim.stack.emulator.scriptFaults('DeleteServerlessCache', [refusal, refusal, refusal]);
    await reconcileAt(sim, minute(5));

    await tickMinutes(sim, minute(6), 4);
    const refused = await restoreTestOf(sim);
    expect(refused.status).toBe('VERIFIED');
    expect(refused.cleanupError?.code).toBe('AccessDenied');
    expect(refused.cleanedUpAt).toBeUndefined();
    expect(scratchCaches(sim)).toEqual([`${refused.scratchCacheName}:available`]);

    await tickMinutes(sim, minute(10), 60);

    const record = await restoreTestOf(sim);
    expect(callsOf(sim, 'DeleteServerlessCache')).toHaveLength(4);
    expect(record.deleteAttempts).toBe(4);
    expect(record.cleanedUpAt).toBeDefined();
    expect(record.cleanupError).toBeUndefined();
    expect(scratchCaches(sim)).toEqual([]);
  });

  it('leaves no scratch cache past one tick after maxMinutes when a tick dies mid-test', async () => {
    sim = await simulationWithSnapshots(15);
    await reconcileAt(sim, minute(5));
    const store = sim.runtime.restoreTests;
    let crashed = false;
    const crashing = {
      ...store,
      get: store.get.bind(store),
      create: store.create.bind(store),
      listOpen: store.listOpen.bind(store),
      transition: async (next: Parameters<typeof store.transition>[0], expected: { updatedAt: string }) => {
        if (!crashed && next.requestedAt !== undefined) {
          crashed = true;
          throw new Error('the tick died after its Create');
        }
        return store.transition(next, expected);
      },
    };
    await sim.tick(minute(6), {
      restoreTests: { store: crashing, deployment: sim.runtime.config.deploymentName },
    });
    expect(crashed).toBe(true);
    expect(scratchCaches(sim)).toHaveLength(1);

    // maxMinutes (15) from the start at 04:05 ends at 04:20; the tick after it is 04:21.
    await tickMinutes(sim, minute(7), 15);

    const record = await restoreTestOf(sim);
    expect(record.status).toBe('VERIFIED');
    expect(record.cleanedUpAt).toBeDefined();
    expect(callsOf(sim, 'CreateServerlessCache')).toHaveLength(1);
    expect(scratchCaches(sim)).toEqual([]);
  });
});
