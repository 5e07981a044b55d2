import { beforeEach, describe, expect, it } from 'vitest';
import { ConditionalWriteError } from '#lib/errors';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { TargetStore } from '#lib/targets/target-store';
import type { Enrolment } from '#lib/targets/types';
import { activeResult, at, collect, operatorRecord } from './fixtures';

/** Two stores over one backend: the policies store and the target store composed over it. */
export interface TargetStores {
  readonly policies: PolicyStore;
  readonly targets: TargetStore;
}

const lastRun = (slot: string, status = 'REQUESTED') => ({ slot, status, at: slot });
const newest = (slot: string) => ({ slot, snapshotName: `s-${slot}`, takenAt: slot, availableAt: slot });

function enrolment(policyId: string, cacheName: string, nextRunAt: string): Enrolment {
  return { policyId, cacheName, nextRunAt, enrolledAt: at(0), engine: 'valkey', account: '123456789012' };
}

/**
 * The TargetStore behaviour every implementation must have (docs/architecture.md, "Targets"), run against
 * the in-memory stores (unit) and DynamoDB on dynalite (integration): one due listing over both homes, the
 * one write that advances and records the last run, summaries that never go back except by replacement,
 * enrolment, retirement and re-enrolment. `createStores` returns empty stores.
 */
export function describeTargetStoreContract(createStores: () => Promise<TargetStores>): void {
  let policies: PolicyStore;
  let targets: TargetStore;
  beforeEach(async () => {
    ({ policies, targets } = await createStores());
  });

  async function cachePolicy(policyId: string, cacheName: string, nextRunAt: string): Promise<void> {
    const record = operatorRecord(policyId, { cacheName });
    await policies.put(record);
    await policies.writeSyncResult(record, activeResult(nextRunAt));
  }

  const dueKeys = async (instant: string) =>
    (await collect(targets.listDue(instant)))
      .map((due) => `${due.policyId}/${due.cacheName}@${due.nextRunAt}`)
      .sort();

  describe('due listing', () => {
    it('lists due targets of both homes: cacheName policies and enrolled targets', async () => {
      await cachePolicy('single', 'orders', at(5));
      await targets.table.enrol(enrolment('fleet', 'cart', at(3)));
      await targets.table.enrol(enrolment('fleet', 'search', at(30)));

      expect(await dueKeys(at(10))).toEqual([`fleet/cart@${at(3)}`, `single/orders@${at(5)}`]);
    });

    it('lists every due target across pages', async () => {
      const names = Array.from({ length: 12 }, (_, index) => `cache-${String(index).padStart(2, '0')}`);
      for (const name of names) await targets.table.enrol(enrolment('fleet', name, at(1)));

      expect((await collect(targets.listDue(at(1)))).map((due) => due.cacheName).sort()).toEqual(names);
    });

    it('leaves retired targets out of the due listing', async () => {
      await targets.table.enrol(enrolment('fleet', 'cart', at(3)));
      await targets.table.retire({ policyId: 'fleet', cacheName: 'cart' }, at(4), 'the cache was deleted');

      expect(await dueKeys(at(10))).toEqual([]);
    });
  });

  describe('advance', () => {
    it('moves nextRunAt and records the last run in one write, on either home', async () => {
      await cachePolicy('single', 'orders', at(5));
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      for (const due of await collect(targets.listDue(at(5)))) {
        await targets.advance(due, at(65), { lastRun: lastRun(at(5)) });
      }

      expect(await policies.get('single')).toMatchObject({ nextRunAt: at(65), lastRun: lastRun(at(5)) });
      expect(await targets.table.get({ policyId: 'fleet', cacheName: 'cart' })).toMatchObject({
        state: 'ACTIVE',
        nextRunAt: at(65),
        lastRun: lastRun(at(5)),
      });
      expect(await dueKeys(at(60))).toEqual([]);
    });

    it('refuses an advance from a nextRunAt another tick already moved', async () => {
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      const [due] = await collect(targets.listDue(at(5)));
      if (!due) throw new Error('not due');
      await targets.advance(due, at(65), {});

      await expect(targets.advance(due, at(125), {})).rejects.toBeInstanceOf(ConditionalWriteError);
      expect((await targets.table.get(due))?.nextRunAt).toBe(at(65));
    });

    it('refuses the advance, writing nothing, when a newer slot’s lastRun is stored, on either home', async () => {
      await cachePolicy('single', 'orders', at(5));
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      const due = await collect(targets.listDue(at(5)));
      for (const key of due) await targets.recordSummaries(key, { lastRun: lastRun(at(9)) });

      for (const key of due) {
        await expect(targets.advance(key, at(65), { lastRun: lastRun(at(5)) })).rejects.toBeInstanceOf(
          ConditionalWriteError,
        );
      }
      expect(await policies.get('single')).toMatchObject({ nextRunAt: at(5), lastRun: lastRun(at(9)) });
      expect(await targets.table.get({ policyId: 'fleet', cacheName: 'cart' })).toMatchObject({
        nextRunAt: at(5),
        lastRun: lastRun(at(9)),
      });
    });

    it('refuses to advance a target retired since it was listed', async () => {
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      const [due] = await collect(targets.listDue(at(5)));
      if (!due) throw new Error('not due');
      await targets.table.retire(due, at(5), 'no longer matches the selector');

      await expect(targets.advance(due, at(65), {})).rejects.toBeInstanceOf(ConditionalWriteError);
      expect(await targets.table.get(due)).not.toHaveProperty('nextRunAt');
    });
  });

  describe('summaries', () => {
    it('records a run on the home of its target, whichever table that is', async () => {
      await cachePolicy('single', 'orders', at(5));
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));

      await targets.recordSummaries({ policyId: 'single', cacheName: 'orders' }, { lastRun: lastRun(at(5)) });
      await targets.recordSummaries(
        { policyId: 'fleet', cacheName: 'cart' },
        { lastRun: lastRun(at(5), 'AVAILABLE'), newestSnapshot: newest(at(5)) },
      );

      expect((await policies.get('single'))?.lastRun).toEqual(lastRun(at(5)));
      expect(await targets.table.get({ policyId: 'fleet', cacheName: 'cart' })).toMatchObject({
        lastRun: lastRun(at(5), 'AVAILABLE'),
        newestSnapshot: newest(at(5)),
      });
    });

    it('never records on the item of a targets policy or of another cache, nor creates a target', async () => {
      await policies.put(operatorRecord('fleet', { cacheName: undefined, targets: { names: ['c*'] } }));
      await cachePolicy('single', 'orders', at(5));

      await targets.recordSummaries({ policyId: 'fleet', cacheName: 'cart' }, { lastRun: lastRun(at(5)) });
      await targets.recordSummaries({ policyId: 'single', cacheName: 'cart' }, { lastRun: lastRun(at(5)) });

      expect(await policies.get('fleet')).not.toHaveProperty('lastRun');
      expect(await policies.get('single')).not.toHaveProperty('lastRun');
      expect(await targets.table.get({ policyId: 'fleet', cacheName: 'cart' })).toBeUndefined();
    });

    it('keeps a newer slot’s last run and still records an older slot’s newest snapshot', async () => {
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      const key = { policyId: 'fleet', cacheName: 'cart' };
      await targets.recordSummaries(key, { lastRun: lastRun(at(65)) });

      await targets.recordSummaries(key, {
        lastRun: lastRun(at(5), 'AVAILABLE'),
        newestSnapshot: newest(at(5)),
      });

      expect(await targets.table.get(key)).toMatchObject({
        lastRun: lastRun(at(65)),
        newestSnapshot: newest(at(5)),
      });
    });

    it('moves the newest snapshot back, or removes it, only from the slot expected', async () => {
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      const key = { policyId: 'fleet', cacheName: 'cart' };
      await targets.recordSummaries(key, { newestSnapshot: newest(at(65)) });

      await expect(targets.table.replaceNewestSnapshot(key, at(5), undefined)).rejects.toBeInstanceOf(
        ConditionalWriteError,
      );
      await targets.table.replaceNewestSnapshot(key, at(65), newest(at(5)));
      expect((await targets.table.get(key))?.newestSnapshot).toEqual(newest(at(5)));
      await targets.table.replaceNewestSnapshot(key, at(5), undefined);
      expect(await targets.table.get(key)).not.toHaveProperty('newestSnapshot');
    });
  });

  describe('enrolment and retirement', () => {
    it('enrols a cache once: a second enrolment of an ACTIVE target changes nothing', async () => {
      expect(await targets.table.enrol(enrolment('fleet', 'cart', at(5)))).toBe(true);
      expect(await targets.table.enrol(enrolment('fleet', 'cart', at(65)))).toBe(false);

      expect(await targets.table.get({ policyId: 'fleet', cacheName: 'cart' })).toEqual({
        policyId: 'fleet',
        cacheName: 'cart',
        state: 'ACTIVE',
        nextRunAt: at(5),
        enrolledAt: at(0),
        engine: 'valkey',
        account: '123456789012',
      });
    });

    it('retires an ACTIVE target with when and why, keeping its summaries, and only once', async () => {
      const key = { policyId: 'fleet', cacheName: 'cart' };
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      await targets.recordSummaries(key, { newestSnapshot: newest(at(5)) });

      expect(await targets.table.retire(key, at(9), 'the cache was deleted')).toBe(true);
      expect(await targets.table.retire(key, at(10), 'again')).toBe(false);
      expect(await targets.table.retire({ policyId: 'fleet', cacheName: 'other' }, at(10), 'x')).toBe(false);

      const retired = await targets.table.get(key);
      expect(retired).toMatchObject({
        state: 'RETIRED',
        retiredAt: at(9),
        retiredReason: 'the cache was deleted',
      });
      expect(retired?.newestSnapshot).toEqual(newest(at(5)));
      expect(retired).not.toHaveProperty('nextRunAt');
      expect(await targets.table.get({ policyId: 'fleet', cacheName: 'other' })).toBeUndefined();
    });

    it('re-enrols a retired target at its new first slot, keeping its summaries', async () => {
      const key = { policyId: 'fleet', cacheName: 'cart' };
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      await targets.recordSummaries(key, { newestSnapshot: newest(at(5)) });
      await targets.table.retire(key, at(9), 'no longer matches the selector');

      expect(await targets.table.enrol({ ...enrolment('fleet', 'cart', at(125)), enrolledAt: at(120) })).toBe(
        true,
      );

      const target = await targets.table.get(key);
      expect(target).toMatchObject({ state: 'ACTIVE', nextRunAt: at(125), enrolledAt: at(120) });
      expect(target?.newestSnapshot).toEqual(newest(at(5)));
      expect(target).not.toHaveProperty('retiredAt');
      expect(target).not.toHaveProperty('retiredReason');
      expect(await dueKeys(at(125))).toEqual([`fleet/cart@${at(125)}`]);
    });

    it("lists a policy's targets, active and retired, and no other policy's", async () => {
      await targets.table.enrol(enrolment('fleet', 'search', at(5)));
      await targets.table.enrol(enrolment('fleet', 'cart', at(5)));
      await targets.table.enrol(enrolment('other', 'cart', at(5)));
      await targets.table.retire({ policyId: 'fleet', cacheName: 'search' }, at(6), 'the cache was deleted');

      const listed = await collect(targets.table.listByPolicy('fleet'));
      expect(listed.map((target) => `${target.cacheName}:${target.state}`)).toEqual([
        'cart:ACTIVE',
        'search:RETIRED',
      ]);
    });
  });
}
