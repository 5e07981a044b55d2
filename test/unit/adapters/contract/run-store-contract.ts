import { beforeEach, describe, expect, it } from 'vitest';
import { ConditionalWriteError } from '#lib/errors';
import type { RunStore } from '#lib/runs/run-store';
import type { RunRecord } from '#lib/runs/types';
import { at, collect, runRecord } from './fixtures';

/**
 * The RunStore behaviour every implementation must have, run against the in-memory store (unit) and the
 * DynamoDB store on dynalite (integration) so the two cannot drift. `createStore` returns an empty store.
 */
export function describeRunStoreContract(createStore: () => Promise<RunStore>): void {
  let store: RunStore;
  beforeEach(async () => {
    store = await createStore();
  });

  const keys = (runs: readonly RunRecord[]) => runs.map((run) => `${run.policyId}@${run.slot}`);

  describe('create', () => {
    it('creates a run that does not exist yet and returns undefined', async () => {
      const run = runRecord('p1', at(0), { lastError: undefined });
      expect(await store.create(run)).toBeUndefined();
      const stored = await store.get(run);
      expect(stored).toEqual(runRecord('p1', at(0)));
      expect(stored).not.toHaveProperty('lastError');
    });

    it('returns the existing run and keeps it when the slot is already claimed', async () => {
      const first = runRecord('p1', at(0), { leaseOwner: 'tick-a' });
      await store.create(first);
      const existing = await store.create(runRecord('p1', at(0), { leaseOwner: 'tick-b' }));
      expect(existing).toEqual(first);
      expect(await store.get(first)).toEqual(first);
    });

    it('returns undefined for a run that does not exist', async () => {
      const key = { policyId: 'p1', cacheName: 'orders-cache', slot: at(0), kind: 'SCHEDULED' } as const;
      expect(await store.get(key)).toBeUndefined();
    });

    it('keeps one run per policy, cache, slot and kind: the same slot of another cache or kind is another run', async () => {
      const scheduled = runRecord('p1', at(0));
      const onDemand = runRecord('p1', at(0), { kind: 'ON_DEMAND', leaseOwner: 'cli' });
      const otherCache = runRecord('p1', at(0), { cacheName: 'carts-cache', leaseOwner: 'tick-b' });
      for (const run of [scheduled, onDemand, otherCache]) expect(await store.create(run)).toBeUndefined();
      expect(await store.create(runRecord('p1', at(0), { kind: 'ON_DEMAND' }))).toEqual(onDemand);
      expect(await store.get(onDemand)).toEqual(onDemand);
      expect(await store.get(otherCache)).toEqual(otherCache);
      expect(await store.get(scheduled)).toEqual(scheduled);
      expect(await store.get({ ...scheduled, kind: 'RESTORE_TEST' })).toBeUndefined();
    });
  });

  describe('transition', () => {
    const requested = (run: RunRecord): RunRecord => ({
      ...runRecord(run.policyId, run.slot, { kind: run.kind }),
      status: 'REQUESTED',
      attempts: 1,
      leaseOwner: undefined,
      leaseExpiresAt: undefined,
      nextCheckAt: at(5),
      updatedAt: at(1),
    });

    it('replaces the run when it still has the expected status and lease owner', async () => {
      const claimed = runRecord('p1', at(0));
      await store.create(claimed);
      await store.transition(requested(claimed), { status: 'CLAIMED', leaseOwner: 'tick-a' });
      const stored = await store.get(claimed);
      expect(stored).toMatchObject({ status: 'REQUESTED', attempts: 1, nextCheckAt: at(5) });
      expect(stored).not.toHaveProperty('leaseOwner');
    });

    it('refuses when the status moved on, and keeps the stored run', async () => {
      const claimed = runRecord('p1', at(0));
      await store.create(claimed);
      await store.transition(requested(claimed), { status: 'CLAIMED' });
      const failed: RunRecord = { ...requested(claimed), status: 'FAILED', nextCheckAt: undefined };
      await expect(store.transition(failed, { status: 'CLAIMED' })).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      expect(await store.get(claimed)).toMatchObject({ status: 'REQUESTED' });
    });

    it('refuses when another tick holds the lease', async () => {
      const claimed = runRecord('p1', at(0), { leaseOwner: 'tick-a' });
      await store.create(claimed);
      const takeover = { ...claimed, leaseOwner: 'tick-c' };
      await expect(
        store.transition(takeover, { status: 'CLAIMED', leaseOwner: 'tick-b' }),
      ).rejects.toBeInstanceOf(ConditionalWriteError);
      expect(await store.get(claimed)).toMatchObject({ leaseOwner: 'tick-a' });
    });

    it('conditions a transition on the run of the same kind only', async () => {
      const scheduled = runRecord('p1', at(0));
      const onDemand = runRecord('p1', at(0), { kind: 'ON_DEMAND' });
      await store.create(scheduled);
      await store.create(onDemand);
      await store.transition(requested(onDemand), { status: 'CLAIMED', leaseOwner: 'tick-a' });
      expect(await store.get(onDemand)).toMatchObject({ kind: 'ON_DEMAND', status: 'REQUESTED' });
      expect(await store.get(scheduled)).toMatchObject({ kind: 'SCHEDULED', status: 'CLAIMED' });
    });

    it('refuses for a run that does not exist, without creating it', async () => {
      const run = runRecord('p1', at(0));
      await expect(store.transition(run, { status: 'CLAIMED' })).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      expect(await store.get(run)).toBeUndefined();
    });
  });

  describe('open listing', () => {
    it('lists open runs due for a look at or before the instant, earliest first', async () => {
      await store.create(runRecord('p1', at(0), { status: 'REQUESTED', nextCheckAt: at(9) }));
      await store.create(runRecord('p2', at(0), { status: 'RETRYING', nextCheckAt: at(3) }));
      await store.create(runRecord('p3', at(0), { status: 'PRUNING', nextCheckAt: at(5) }));
      await store.create(runRecord('p4', at(0), { status: 'CLAIMED', nextCheckAt: at(6) }));
      await store.create(runRecord('p5', at(0), { status: 'REQUESTED', nextCheckAt: undefined }));
      for (const status of ['AVAILABLE', 'FAILED', 'MISSED', 'SKIPPED', 'PRUNED'] as const) {
        await store.create(runRecord(`done-${status.toLowerCase()}`, at(0), { status, nextCheckAt: at(1) }));
      }
      const open = await collect(store.listOpen(at(5)));
      expect(keys(open)).toEqual([`p2@${at(0)}`, `p3@${at(0)}`]);
      expect(open[0]).not.toHaveProperty('openBucket');
    });

    it('stops listing a run once it reaches a terminal status', async () => {
      const run = runRecord('p1', at(0), { status: 'REQUESTED', nextCheckAt: at(1) });
      await store.create(run);
      await store.transition({ ...run, status: 'FAILED' }, { status: 'REQUESTED' });
      expect(await collect(store.listOpen(at(60)))).toEqual([]);
      expect(await store.get(run)).toMatchObject({ status: 'FAILED', nextCheckAt: at(1) });
    });

    it('lists open runs of every kind', async () => {
      await store.create(runRecord('p1', at(0), { kind: 'ON_DEMAND', nextCheckAt: at(2) }));
      await store.create(runRecord('p1', at(0), { nextCheckAt: at(1) }));
      const open = await collect(store.listOpen(at(5)));
      expect(open.map((run) => run.kind)).toEqual(['SCHEDULED', 'ON_DEMAND']);
    });

    it('lists open runs across pages in nextCheckAt order', async () => {
      const expected: string[] = [];
      for (let index = 0; index < 23; index += 1) {
        const policyId = `p${String(index).padStart(2, '0')}`;
        await store.create(runRecord(policyId, at(0), { nextCheckAt: at(30 - index) }));
        expected.unshift(`${policyId}@${at(0)}`);
      }
      expect(keys(await collect(store.listOpen(at(30))))).toEqual(expected);
    });
  });

  describe('runs of a policy', () => {
    beforeEach(async () => {
      for (let hour = 5; hour >= 0; hour -= 1) {
        const status = hour % 2 === 0 ? 'AVAILABLE' : 'FAILED';
        await store.create(runRecord('p1', at(hour * 60), { status }));
      }
      await store.create(runRecord('p2', at(0)));
    });

    it('lists the runs of one policy, oldest slot first', async () => {
      const runs = await collect(store.listByPolicy('p1'));
      expect(runs.map((run) => run.slot)).toEqual([0, 1, 2, 3, 4, 5].map((hour) => at(hour * 60)));
    });

    it('lists only runs from the given slot on, with one of the given statuses', async () => {
      const runs = await collect(store.listByPolicy('p1', { since: at(120), statuses: ['AVAILABLE'] }));
      expect(runs.map((run) => run.slot)).toEqual([at(120), at(240)]);
    });

    it('lists one cache’s runs only, and `since` bounds their slots', async () => {
      await store.create(runRecord('p1', at(60), { cacheName: 'orders-cache-2', status: 'AVAILABLE' }));
      await store.create(runRecord('p1', at(30), { cacheName: 'carts-cache' }));
      const orders = await collect(store.listByPolicy('p1', { cacheName: 'orders-cache' }));
      expect(orders.map((run) => run.slot)).toEqual([0, 1, 2, 3, 4, 5].map((hour) => at(hour * 60)));
      const since = await collect(
        store.listByPolicy('p1', { cacheName: 'orders-cache', since: at(180), statuses: ['AVAILABLE'] }),
      );
      expect(since.map((run) => run.slot)).toEqual([at(240)]);
      const carts = await collect(store.listByPolicy('p1', { cacheName: 'carts-cache', since: at(30) }));
      expect(keys(carts)).toEqual([`p1@${at(30)}`]);
      expect(await collect(store.listByPolicy('p1', { cacheName: 'carts-cache', since: at(31) }))).toEqual(
        [],
      );
    });

    it('lists a policy’s runs by cache, then slot, then kind', async () => {
      await store.create(runRecord('p1', at(60), { kind: 'ON_DEMAND' }));
      await store.create(runRecord('p1', at(90), { kind: 'RESTORE_TEST' }));
      await store.create(runRecord('p1', at(0), { cacheName: 'carts-cache' }));
      const runs = await collect(store.listByPolicy('p1', { since: at(60) }));
      expect(runs.map((run) => `${run.cacheName} ${run.slot} ${run.kind}`)).toEqual([
        `orders-cache ${at(60)} SCHEDULED`,
        `orders-cache ${at(60)} ON_DEMAND`,
        `orders-cache ${at(90)} RESTORE_TEST`,
        ...[2, 3, 4, 5].map((hour) => `orders-cache ${at(hour * 60)} SCHEDULED`),
      ]);
      const all = await collect(store.listByPolicy('p1'));
      expect(all[0]).toMatchObject({ cacheName: 'carts-cache', slot: at(0) });
    });

    it('lists nothing for an empty status filter', async () => {
      expect(await collect(store.listByPolicy('p1', { statuses: [] }))).toEqual([]);
    });

    it('lists filtered runs across many pages', async () => {
      for (let index = 0; index < 20; index += 1)
        await store.create(runRecord('p3', at(index), { status: 'FAILED' }));
      await store.create(runRecord('p3', at(30), { status: 'AVAILABLE' }));
      const runs = await collect(store.listByPolicy('p3', { statuses: ['AVAILABLE'] }));
      expect(runs.map((run) => run.slot)).toEqual([at(30)]);
    });
  });

  it('keeps stored state apart from the objects callers hold', async () => {
    const run = { ...runRecord('p1', at(0)), lastError: { code: 'Throttling', message: 'Rate exceeded' } };
    await store.create(run);
    run.lastError.code = 'changed-after-create';
    const read = await store.get(run);
    if (read?.lastError) (read.lastError as { code: string }).code = 'changed-after-get';
    expect((await store.get(run))?.lastError).toEqual({ code: 'Throttling', message: 'Rate exceeded' });
  });
}
