import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { ConditionalWriteError } from '#lib/errors';
import type { PolicyItem } from '#lib/policy/types';
import { type LocalDynamo, startLocalDynamo } from '#test/integration/adapters/support/local-dynamo';
import { activeResult, at, collect, operatorRecord } from '#test/unit/adapters/contract/fixtures';
import { describePolicyStoreContract } from '#test/unit/adapters/contract/policy-store-contract';

/** A small page size makes every listing in the contract span several pages. */
const PAGE_SIZE = 5;

describe('DynamoPolicyStore on dynalite', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const createStore = async () =>
    new DynamoPolicyStore({
      client: dynamo.client,
      tableName: await dynamo.createTable('PoliciesTable'),
      pageSize: PAGE_SIZE,
    });

  describePolicyStoreContract(createStore);

  it('matches a basis with nested lists, nulls and dotted keys inside maps', async () => {
    const store = await createStore();
    const record = operatorRecord('p1', {
      retention: { maxCount: 3, minCount: 1, notes: [1, 'a', null, { k: 'v' }] },
    });
    await store.put(record);
    await store.writeSyncResult(record, activeResult(at(1)));
    expect(await store.get('p1')).toMatchObject({ state: 'ACTIVE', nextRunAt: at(1) });
  });

  it('refuses when an element of a nested list changed', async () => {
    const store = await createStore();
    const basis = operatorRecord('p1', { retention: { maxCount: 3, notes: [1, 2] } });
    await store.put({ ...basis, retention: { maxCount: 3, notes: [2, 1] } });
    await expect(store.writeSyncResult(basis, activeResult(at(1)))).rejects.toBeInstanceOf(
      ConditionalWriteError,
    );
  });

  it('never accepts, on dynalite, a basis with too many tags to compare key by key (whole-map = is by reference there)', async () => {
    const store = await createStore();
    const tags = Object.fromEntries(Array.from({ length: 80 }, (_, index) => [`key-${index}`, 'v']));
    const record = operatorRecord('p1', { tags });
    await store.put(record);
    await expect(store.writeSyncResult(record, activeResult(at(1)))).rejects.toBeInstanceOf(
      ConditionalWriteError,
    );
  });

  it('lists every item when one holds a number no JavaScript number or bigint can take, and writes it back exactly', async () => {
    const store = await createStore();
    await store.put(operatorRecord('p1'));
    const odd = { ...operatorRecord('p2'), startWindowMinutes: NumberValue.from('12345678901234567890.5') };
    await store.put(odd);
    await store.put(operatorRecord('p3', { startWindowMinutes: 2n ** 70n }));

    const listed = await collect(store.listAll());
    const stored = await store.get('p2');
    await store.writeSyncResult(stored as PolicyItem, activeResult(at(1)));

    expect(listed.map((item) => item.policyId).sort()).toEqual(['p1', 'p2', 'p3']);
    expect(String(stored?.startWindowMinutes)).toBe('12345678901234567890.5');
    expect(listed.find((item) => item.policyId === 'p3')?.startWindowMinutes).toBe(2n ** 70n);
    expect(String((await store.get('p2'))?.startWindowMinutes)).toBe('12345678901234567890.5');
  });
});
