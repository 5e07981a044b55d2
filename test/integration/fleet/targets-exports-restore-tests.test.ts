import { afterEach, describe, expect, it } from 'vitest';
import { addMs, MINUTE_MS } from '#lib/clock';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { Simulation } from '#local/simulation';
import { exportSummary } from '#test/integration/exports/support';
import { minute, TEST_SLOT } from '#test/integration/restore-tests/support';
import { runsOf } from '#test/support/run-builders';

const START = new Date('2026-03-23T02:00:00.000Z');

/**
 * One targets policy with `export` and `restoreTest` over two enrolled caches, on the local stack through
 * the real SDK (emulator, local S3): each target's snapshots are exported by its own `every` count, and each
 * target's newest AVAILABLE snapshot is restored into a scratch cache of its own.
 */
describe('exports and restore tests of a targets policy', () => {
  let sim: Simulation;
  afterEach(async () => {
    await sim?.stop();
  });

  it('exports every 2nd snapshot of each target and restore-tests the newest snapshot of each target', async () => {
    sim = await Simulation.start({
      start: addMs(START, -MINUTE_MS),
      s3: true,
      emulator: {
        snapshotCompletionMs: 2 * MINUTE_MS,
        exportCompletionMs: 3 * MINUTE_MS,
        cacheCreationMs: 3 * MINUTE_MS,
        cacheDeletionMs: MINUTE_MS,
      },
    });
    const { emulator } = sim.stack;
    emulator.seedCache({ name: 'orders', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'cart', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'search', tags: { tier: 'silver' } });
    await sim.stack.s3?.createBucket('gold-exports', 'us-east-1');
    await sim.putPolicy({
      policyId: 'gold',
      schedule: 'cron(0 * * * ? *)',
      targets: { tags: { tier: 'gold' } },
      export: { bucket: 'gold-exports', every: 2 },
      restoreTest: { schedule: 'cron(0 4 * * ? *)', maxMinutes: 30 },
    });
    await sim.tickThrough(START, new Date(TEST_SLOT), 15 * MINUTE_MS);

    sim.setTime(minute(5));
    const summary = await reconcilePolicies(sim.reconcileDeps(), sim.restoreTestStartDeps());
    expect(summary.restoreTestsStarted).toBe(2);
    await sim.tickThrough(minute(6), minute(20), 2 * MINUTE_MS);

    const runs = await runsOf(sim.runtime.runs, 'gold');
    const exported = (cacheName: string) =>
      exportSummary(runs.filter((run) => run.cacheName === cacheName && run.kind !== 'RESTORE_TEST'));
    for (const cacheName of ['orders', 'cart']) {
      expect(exported(cacheName)).toEqual(['02:00 EXPORTED', '03:00 -', '04:00 EXPORTED']);
    }
    const exportedNames = emulator.exports().map((made) => made.snapshotName);
    expect(exportedNames).toHaveLength(4);
    expect(exportedNames.filter((name) => name.startsWith('cart-'))).toHaveLength(2);

    for (const cacheName of ['orders', 'cart']) {
      const record = await sim.runtime.restoreTests.get({ policyId: 'gold', cacheName, slot: TEST_SLOT });
      // The 04:00 snapshot is `exporting` when the test starts (every 2nd is exported): 03:00's is the newest available.
      const newest = runs.find(
        (run) => run.cacheName === cacheName && run.slot === '2026-03-23T03:00:00.000Z',
      );
      expect(record, cacheName).toMatchObject({ status: 'VERIFIED', snapshotName: newest?.snapshotName });
      expect(record?.cleanedUpAt, cacheName).toBeDefined();
    }
    expect(emulator.caches().filter((cache) => cache.name.startsWith('rt-'))).toEqual([]);
    expect(
      await sim.runtime.restoreTests.get({ policyId: 'gold', cacheName: 'search', slot: TEST_SLOT }),
    ).toBeUndefined();
  });
});
