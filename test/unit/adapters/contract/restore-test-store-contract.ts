import { beforeEach, expect, it } from 'vitest';
import { ConditionalWriteError } from '#lib/errors';
import type { RestoreTestStore } from '#lib/restore-tests/restore-test-store';
import { cleanedUp, newRestoreTest, verified } from '#lib/restore-tests/transitions';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import { at, collect } from './fixtures';

/** A new restore test of cache `orders` for `slot`, started at `slot`, 30 minutes allowed. */
export function restoreTest(policyId: string, slot: string): RestoreTestRecord {
  return newRestoreTest({ policyId, cacheName: 'orders', slot }, 'deployment', 30, new Date(slot));
}

/**
 * The RestoreTestStore behaviour every implementation must have, run against the in-memory store (unit)
 * and the DynamoDB store on dynalite (integration). `createStore` returns an empty store.
 */
export function describeRestoreTestStoreContract(createStore: () => Promise<RestoreTestStore>): void {
  let store: RestoreTestStore;
  beforeEach(async () => {
    store = await createStore();
  });

  it('creates a test once per policy, cache and slot, and reads it back as written', async () => {
    const record = restoreTest('p1', at(0));
    expect(await store.create(record)).toBe(true);
    expect(await store.create({ ...record, attempts: 5 })).toBe(false);
    expect(await store.get(record)).toEqual(record);
    expect(await store.create(restoreTest('p1', at(1)))).toBe(true);
    expect(await store.get({ policyId: 'p1', cacheName: 'other', slot: at(0) })).toBeUndefined();
  });

  it('replaces a test only when it is still as read', async () => {
    const record = restoreTest('p1', at(0));
    await store.create(record);
    const next = verified(record, new Date(at(1)));
    await store.transition(next, { updatedAt: record.updatedAt });
    expect((await store.get(record))?.status).toBe('VERIFIED');
    await expect(store.transition(next, { updatedAt: record.updatedAt })).rejects.toBeInstanceOf(
      ConditionalWriteError,
    );
  });

  it('lists open tests due by a time, oldest check first, and never one cleaned up', async () => {
    const first = restoreTest('p1', at(2));
    const second = restoreTest('p2', at(1));
    const later = restoreTest('p3', at(9));
    for (const record of [first, second, later]) await store.create(record);
    const done = cleanedUp(verified(first, new Date(at(3))), new Date(at(3)), 30);
    await store.transition(done, { updatedAt: first.updatedAt });

    const open = await collect(store.listOpen(at(5)));
    expect(open.map((record) => record.policyId)).toEqual(['p2']);
    expect((await collect(store.listOpen(at(9)))).map((record) => record.policyId)).toEqual(['p2', 'p3']);
  });

  it("lists one target's tests, oldest slot first, and nothing of other targets", async () => {
    await store.create(restoreTest('p1', at(5)));
    await store.create(restoreTest('p1', at(1)));
    await store.create(restoreTest('p2', at(2)));
    await store.create({ ...restoreTest('p1', at(3)), cacheName: 'other' });

    const own = await collect(store.listOfTarget('p1', 'orders'));

    expect(own.map((record) => record.slot)).toEqual([at(1), at(5)]);
  });
}
