import { describe, expect, it } from 'vitest';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { StoreError } from '#lib/errors';
import { listedOnce } from '#lib/targets/listed-once';
import type { TargetRecord } from '#lib/targets/types';
import { collect } from '#test/unit/adapters/contract/fixtures';

/** The in-memory table, counting listings, and failing them while `failing` is set. */
class CountedTable extends InMemoryTargetTable {
  listings = 0;
  failing = false;

  override listByPolicy(policyId: string): AsyncIterable<TargetRecord> {
    this.listings += 1;
    if (this.failing) throw new StoreError('targets table unavailable (scripted)');
    return super.listByPolicy(policyId);
  }
}

async function arrange() {
  const table = new CountedTable();
  for (const cacheName of ['cart', 'orders']) {
    const at = '2025-03-01T10:00:00.000Z';
    await table.enrol({ policyId: 'gold', cacheName, nextRunAt: at, enrolledAt: at });
  }
  return table;
}

const names = (targets: readonly TargetRecord[]) => targets.map((target) => target.cacheName);

describe('a listing of each policy’s targets once', () => {
  it('reads a policy’s targets once and answers every later listing from that read', async () => {
    const table = await arrange();
    const listed = listedOnce(table);

    const first = await collect(listed.listByPolicy('gold'));
    await table.retire({ policyId: 'gold', cacheName: 'cart' }, '2025-03-01T11:00:00.000Z', 'gone');
    const again = await collect(listed.listByPolicy('gold'));

    expect(names(first)).toEqual(['cart', 'orders']);
    expect(again).toEqual(first);
    expect(table.listings).toBe(1);
  });

  it('answers a policy whose targets it was given without reading the table', async () => {
    const table = await arrange();
    const known = await collect(table.listByPolicy('gold'));
    table.listings = 0;

    const listed = listedOnce(table, new Map([['gold', known]]));

    expect(await collect(listed.listByPolicy('gold'))).toEqual(known);
    expect(await collect(listed.listByPolicy('silver'))).toEqual([]);
    expect(table.listings).toBe(1);
  });

  it('gives every listing of the pass the same error when the read fails', async () => {
    const table = await arrange();
    table.failing = true;
    const listed = listedOnce(table);

    await expect(collect(listed.listByPolicy('gold'))).rejects.toThrow('targets table unavailable');
    table.failing = false;
    await expect(collect(listed.listByPolicy('gold'))).rejects.toThrow('targets table unavailable');
    expect(table.listings).toBe(1);
  });
});
