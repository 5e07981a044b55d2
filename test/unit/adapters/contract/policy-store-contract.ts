import { beforeEach, describe, expect, it } from 'vitest';
import { ConditionalWriteError } from '#lib/errors';
import type { PolicyStore } from '#lib/policy/policy-store';
import { activeResult, at, collect, operatorRecord } from './fixtures';

/**
 * The PolicyStore behaviour every implementation must have, run against the in-memory store (unit) and
 * the DynamoDB store on dynalite (integration) so the two cannot drift. `createStore` returns an empty store.
 */
export function describePolicyStoreContract(createStore: () => Promise<PolicyStore>): void {
  let store: PolicyStore;
  beforeEach(async () => {
    store = await createStore();
  });

  async function syncActive(policyId: string, nextRunAt: string): Promise<void> {
    const record = operatorRecord(policyId);
    await store.put(record);
    await store.writeSyncResult(record, activeResult(nextRunAt));
  }

  const dueIds = async (instant: string) =>
    (await collect(store.listDue(instant))).map((item) => item.policyId);

  describe('records', () => {
    it('returns undefined for a policy that does not exist', async () => {
      expect(await store.get('missing')).toBeUndefined();
    });

    it('returns an operator record as written, without undefined attributes', async () => {
      await store.put(operatorRecord('p1', { kmsKeyId: undefined }));
      const item = await store.get('p1');
      expect(item).toEqual(operatorRecord('p1'));
      expect(item).not.toHaveProperty('kmsKeyId');
    });

    it('replaces the whole item on put', async () => {
      await syncActive('p1', at(5));
      await store.put(operatorRecord('p1', { schedule: 'rate(6 hours)' }));
      expect(await store.get('p1')).toEqual(operatorRecord('p1', { schedule: 'rate(6 hours)' }));
      expect(await dueIds(at(60))).toEqual([]);
    });

    it('deletes a policy, and deleting a missing one is no error', async () => {
      await store.put(operatorRecord('p1'));
      await store.delete('p1');
      await store.delete('p1');
      expect(await store.get('p1')).toBeUndefined();
    });

    it('lists every item across pages', async () => {
      const ids = Array.from({ length: 23 }, (_, index) => `p${String(index).padStart(2, '0')}`);
      for (const id of ids) await store.put(operatorRecord(id));
      const listed = (await collect(store.listAll())).map((item) => item.policyId);
      expect(listed.sort()).toEqual(ids);
    });

    it('stores map keys named like Object.prototype members exactly, and syncs such a record', async () => {
      const tags = { constructor: 'c', toString: 't', hasOwnProperty: 'h', valueOf: 'v', isPrototypeOf: 'i' };
      const record = operatorRecord('p1', { tags });

      await store.put(record);
      await store.writeSyncResult(record, activeResult(at(5)));

      const item = await store.get('p1');
      expect(Object.entries(item?.tags as object)).toEqual(Object.entries(tags));
      expect(Object.getPrototypeOf(item?.tags)).toBe(Object.prototype);
      expect(item?.state).toBe('ACTIVE');
    });

    it('refuses a map key __proto__ (the SDK would drop it), naming its path, and stores nothing', async () => {
      const tags = JSON.parse('{"team": "payments", "__proto__": "x"}') as Record<string, string>;

      await expect(store.put(operatorRecord('p1', { tags }))).rejects.toThrow(
        /policy p1: tags\.__proto__ cannot be stored/,
      );
      expect(await store.get('p1')).toBeUndefined();
    });

    it('keeps stored state apart from the objects callers hold', async () => {
      const record = operatorRecord('p1');
      await store.put(record);
      (record.tags as Record<string, string>).team = 'changed-after-put';
      const read = await store.get('p1');
      (read?.tags as Record<string, string>).team = 'changed-after-get';
      expect((await store.get('p1'))?.tags).toEqual({ team: 'payments', 'cost.center': 'cc-42' });
    });
  });

  describe('due listing', () => {
    it('lists only ACTIVE policies whose nextRunAt is at or before the instant, earliest first', async () => {
      await syncActive('later', at(10));
      await syncActive('earlier', at(1));
      await syncActive('exactly-now', at(5));
      await syncActive('future', at(6));
      const invalid = operatorRecord('invalid');
      await store.put(invalid);
      await store.writeSyncResult(invalid, {
        ...activeResult(at(1)),
        state: 'INVALID',
        stateReason: 'schedule: bad',
      });
      await store.put(operatorRecord('never-synced'));
      await store.put({ ...operatorRecord('written-disabled'), state: 'DISABLED', nextRunAt: at(1) });
      await store.put({ ...operatorRecord('written-active'), state: 'ACTIVE', nextRunAt: at(2) });
      expect(await dueIds(at(5))).toEqual(['earlier', 'written-active', 'exactly-now']);
    });

    it('lists due policies across pages in nextRunAt order', async () => {
      const expected: string[] = [];
      for (let index = 0; index < 23; index += 1) {
        const id = `p${String(index).padStart(2, '0')}`;
        await syncActive(id, at(23 - index));
        expected.unshift(id);
      }
      expect(await dueIds(at(30))).toEqual(expected);
    });

    it('leaves out the store-derived bucket from listed items', async () => {
      await syncActive('p1', at(1));
      const [item] = await collect(store.listDue(at(1)));
      expect(item).not.toHaveProperty('dueBucket');
      expect(item).toMatchObject({ state: 'ACTIVE', nextRunAt: at(1) });
    });
  });

  describe('writeSyncResult', () => {
    it('writes state, reason, next run, activation time, spec hash and sync time', async () => {
      const record = operatorRecord('p1');
      await store.put(record);
      await store.writeSyncResult(record, activeResult(at(3), { stateReason: 'note' }));
      expect(await store.get('p1')).toEqual({
        ...record,
        state: 'ACTIVE',
        stateReason: 'note',
        nextRunAt: at(3),
        activatedAt: '2025-03-01T09:00:00.000Z',
        specHash: 'hash-1',
        syncedAt: '2025-03-01T09:00:00.000Z',
      });
    });

    it('removes the activation time when the result is not ACTIVE', async () => {
      const record = operatorRecord('p1');
      await store.put(record);
      await store.writeSyncResult(record, activeResult(at(3)));
      await store.writeSyncResult(record, {
        ...activeResult(at(3)),
        state: 'INVALID',
        nextRunAt: undefined,
        activatedAt: undefined,
      });
      expect(await store.get('p1')).not.toHaveProperty('activatedAt');
    });

    it('removes the next run and the reason when the result has none', async () => {
      const record = operatorRecord('p1');
      await store.put(record);
      await store.writeSyncResult(record, activeResult(at(3), { stateReason: 'note' }));
      await store.writeSyncResult(record, {
        ...activeResult(at(3)),
        state: 'DISABLED',
        nextRunAt: undefined,
      });
      const item = await store.get('p1');
      expect(item).toMatchObject({ state: 'DISABLED' });
      expect(item).not.toHaveProperty('nextRunAt');
      expect(item).not.toHaveProperty('stateReason');
      expect(await dueIds(at(60))).toEqual([]);
    });

    it('writes when only orchestrator attributes changed since the basis', async () => {
      const record = operatorRecord('p1', { kmsKeyId: undefined });
      await store.put(record);
      await store.writeSyncResult(record, activeResult(at(3)));
      await store.recordLastRun('p1', { slot: at(3), status: 'AVAILABLE', at: at(4) });
      await store.writeSyncResult(record, activeResult(at(9), { specHash: 'hash-2' }));
      expect(await store.get('p1')).toMatchObject({ nextRunAt: at(9), specHash: 'hash-2' });
    });

    const changes: [string, Record<string, unknown>][] = [
      ['a scalar attribute changed', { schedule: 'rate(2 hours)' }],
      ['a tag value changed', { tags: { team: 'payments', 'cost.center': 'cc-43' } }],
      ['a tag was added', { tags: { team: 'payments', 'cost.center': 'cc-42', extra: 'x' } }],
      ['a tag was removed', { tags: { team: 'payments' } }],
      ['a retention field changed', { retention: { maxCount: 8, minCount: 2 } }],
      ['tags became a string', { tags: '' }],
      ['an attribute absent in the basis was added', { kmsKeyId: 'alias/snapshots' }],
      ['an attribute present in the basis was removed', { timezone: undefined }],
    ];
    it.each(changes)('refuses when %s', async (_, change) => {
      const basis = operatorRecord('p1');
      await store.put({ ...basis, ...change });
      await expect(store.writeSyncResult(basis, activeResult(at(3)))).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      expect(await store.get('p1')).not.toHaveProperty('state');
    });

    it('refuses when the policy was deleted, and does not create it', async () => {
      const basis = operatorRecord('p1');
      await store.put(basis);
      await store.delete('p1');
      await expect(store.writeSyncResult(basis, activeResult(at(3)))).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      expect(await store.get('p1')).toBeUndefined();
    });
  });

  describe('advanceNextRun', () => {
    it('moves nextRunAt when it still has the expected value', async () => {
      await syncActive('p1', at(1));
      await store.advanceNextRun('p1', at(1), at(61));
      expect(await dueIds(at(60))).toEqual([]);
      expect(await dueIds(at(61))).toEqual(['p1']);
    });

    it('refuses when another tick moved nextRunAt first', async () => {
      await syncActive('p1', at(1));
      await store.advanceNextRun('p1', at(1), at(61));
      await expect(store.advanceNextRun('p1', at(1), at(62))).rejects.toBeInstanceOf(ConditionalWriteError);
      expect(await store.get('p1')).toMatchObject({ nextRunAt: at(61) });
    });

    it('keeps the policy in the due listing at its new next run', async () => {
      await syncActive('p1', at(1));
      await store.advanceNextRun('p1', at(1), at(61));
      expect(await dueIds(at(60))).toEqual([]);
      expect(await dueIds(at(61))).toEqual(['p1']);
    });

    it('refuses for a policy that does not exist, without creating it', async () => {
      await expect(store.advanceNextRun('gone', at(1), at(2))).rejects.toBeInstanceOf(ConditionalWriteError);
      expect(await store.get('gone')).toBeUndefined();
    });
  });

  describe('recordNewestSnapshot', () => {
    const newest = (minutes: number) => ({
      slot: at(minutes),
      snapshotName: `s-${minutes}`,
      takenAt: at(minutes),
      availableAt: at(minutes + 2),
    });

    it('records the newest available snapshot and keeps it against an older one', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordNewestSnapshot('p1', newest(60));
      await store.recordNewestSnapshot('p1', newest(0));
      const item = await store.get('p1');
      expect(item?.newestSnapshot).toEqual(newest(60));
      expect(item?.lastRun).toBeUndefined();
    });

    it('does not resurrect a deleted policy', async () => {
      await store.recordNewestSnapshot('gone', newest(1));
      expect(await store.get('gone')).toBeUndefined();
    });
  });

  describe('replaceNewestSnapshot', () => {
    const newest = (minutes: number) => ({
      slot: at(minutes),
      snapshotName: `s-${minutes}`,
      takenAt: at(minutes),
      availableAt: at(minutes + 2),
    });

    it('moves the summary back to an older snapshot when the stored one is still the expected slot', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordNewestSnapshot('p1', newest(60));
      await store.replaceNewestSnapshot('p1', at(60), newest(0));
      expect((await store.get('p1'))?.newestSnapshot).toEqual(newest(0));
    });

    it('removes the summary, and sets one where there was none', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordNewestSnapshot('p1', newest(60));
      await store.replaceNewestSnapshot('p1', at(60), undefined);
      expect(await store.get('p1')).not.toHaveProperty('newestSnapshot');
      await store.replaceNewestSnapshot('p1', undefined, newest(0));
      expect((await store.get('p1'))?.newestSnapshot).toEqual(newest(0));
    });

    it('refuses when the summary changed meanwhile or the policy is gone, writing nothing', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordNewestSnapshot('p1', newest(120));
      await expect(store.replaceNewestSnapshot('p1', at(60), undefined)).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      await expect(store.replaceNewestSnapshot('p1', undefined, newest(0))).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      await expect(store.replaceNewestSnapshot('gone', undefined, newest(0))).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      expect((await store.get('p1'))?.newestSnapshot).toEqual(newest(120));
      expect(await store.get('gone')).toBeUndefined();
    });
  });

  describe('getMany', () => {
    it('reads the items of the given ids as stored now, leaving out the ones that do not exist', async () => {
      await syncActive('p1', at(5));
      await store.put(operatorRecord('p2'));
      const items = await store.getMany(['p1', 'missing', 'p2', 'p1']);
      expect([...items.keys()].sort()).toEqual(['p1', 'p2']);
      expect(items.get('p1')).toEqual(await store.get('p1'));
      expect(items.get('p1')).not.toHaveProperty('dueBucket');
    });

    it('reads more ids than one batch request takes', async () => {
      const ids = Array.from({ length: 130 }, (_, index) => `p${String(index).padStart(3, '0')}`);
      for (const id of ids) await store.put(operatorRecord(id));
      const items = await store.getMany(ids);
      expect([...items.keys()].sort()).toEqual(ids);
    });

    it('reads nothing for no ids', async () => {
      expect((await store.getMany([])).size).toBe(0);
    });
  });

  describe('recordLastRun', () => {
    const summary = (minutes: number, status = 'AVAILABLE') => ({
      slot: at(minutes),
      status,
      at: at(minutes + 1),
    });

    it('records the latest run on the policy', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordLastRun('p1', { ...summary(1, 'FAILED'), errorCode: 'InvalidParameterValue' });
      expect((await store.get('p1'))?.lastRun).toEqual({
        ...summary(1, 'FAILED'),
        errorCode: 'InvalidParameterValue',
      });
    });

    it('does not resurrect a deleted policy', async () => {
      await store.recordLastRun('gone', summary(1));
      expect(await store.get('gone')).toBeUndefined();
    });

    it('does not overwrite a newer slot with an older one', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordLastRun('p1', summary(60));
      await store.recordLastRun('p1', summary(0, 'FAILED'));
      expect((await store.get('p1'))?.lastRun).toEqual(summary(60));
    });

    it('replaces the summary of the same or an older slot', async () => {
      await store.put(operatorRecord('p1'));
      await store.recordLastRun('p1', summary(0, 'REQUESTED'));
      await store.recordLastRun('p1', summary(0, 'AVAILABLE'));
      expect((await store.get('p1'))?.lastRun).toEqual(summary(0, 'AVAILABLE'));
      await store.recordLastRun('p1', summary(60, 'MISSED'));
      expect((await store.get('p1'))?.lastRun).toEqual(summary(60, 'MISSED'));
    });
  });
}
