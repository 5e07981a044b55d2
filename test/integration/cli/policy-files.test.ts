import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliFixture, startCliFixture } from './support/cli-stack';

const RECORDS = 200_000;

/** `count` valid records on cache `orders`, ids `bulk-0`… */
function bulkRecords(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    policyId: `bulk-${index}`,
    cacheName: 'orders',
    schedule: 'rate(1 day)',
  }));
}

describe('cache-snapshots policy files an operator gets wrong', () => {
  let fixture: CliFixture;
  beforeAll(async () => {
    fixture = await startCliFixture(['orders']);
  });
  afterAll(() => fixture?.stop());

  it(`validates a file of ${RECORDS.toLocaleString('en')} policies without overflowing the stack`, async () => {
    const result = await fixture.cli(['policy', 'validate', '-'], JSON.stringify(bulkRecords(RECORDS)));

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(RECORDS);
    expect(lines.at(-1)).toBe(`valid    bulk-${RECORDS - 1}`);
  });

  it(`refuses a file of ${RECORDS.toLocaleString('en')} policies with one bad record, writing nothing`, async () => {
    const records = [...bulkRecords(RECORDS), { policyId: 'bulk-bad', cacheName: 'orders', schedule: 'x' }];

    const result = await fixture.cli(['policy', 'put', '-'], JSON.stringify(records));

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^cache-snapshots: error: policy bulk-bad refused, nothing written: schedule: /),
    ]);
    expect((await fixture.cli(['policy', 'get', 'bulk-0'])).code).toBe(1);
  });

  it('refuses a tag key __proto__ in validate and in put, naming tags, and writes nothing', async () => {
    const yaml = 'policyId: proto-tags\ncacheName: orders\nschedule: rate(1 day)\ntags:\n  __proto__: x\n';

    const validate = await fixture.cli(['policy', 'validate', '-'], yaml);
    const put = await fixture.cli(['policy', 'put', '-'], yaml);

    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('  tags: keys must not be __proto__');
    expect(put.code).toBe(1);
    expect(put.stderr).toMatch(
      /policy proto-tags refused, nothing written: tags: keys must not be __proto__/,
    );
    expect((await fixture.cli(['policy', 'get', 'proto-tags'])).code).toBe(1);
  });

  it('stores tag keys constructor, toString and hasOwnProperty exactly, the same file again is unchanged, and the snapshot carries them', async () => {
    const tags = { constructor: 'c', toString: 't', hasOwnProperty: 'h', valueOf: 'v' };
    const yaml = `policyId: odd-tags\ncacheName: orders\nschedule: rate(1 day)\ntags:\n${Object.entries(tags)
      .map(([key, value]) => `  ${key}: ${value}\n`)
      .join('')}`;

    const first = await fixture.cli(['--json', 'policy', 'put', '-'], yaml);
    const stored = await fixture.cliJson<{ tags: Record<string, string> }>(['policy', 'get', 'odd-tags']);
    const second = await fixture.cli(['--json', 'policy', 'put', '-'], yaml);

    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout).written[0]).toMatchObject({ action: 'written', state: 'ACTIVE' });
    expect(Object.entries(stored.tags)).toEqual(Object.entries(tags));
    expect(JSON.parse(second.stdout).written[0]).toMatchObject({ action: 'unchanged', state: 'ACTIVE' });
    const slot = String((stored as { nextRunAt?: string }).nextRunAt);
    fixture.setEmulatorTime(new Date(slot));
    const tick = await fixture.cli(['tick', '--at', slot, '--allow-future']);
    expect([tick.code, tick.stderr]).toEqual([0, '']);
    const snapshot = fixture.stack.emulator.snapshots().find((taken) => taken.cacheName === 'orders');
    expect(snapshot?.tags).toMatchObject(tags);
  });

  it('quotes at most about 100 characters of a 100 KB policy id, in validate and in put', async () => {
    const record = JSON.stringify({ policyId: 'x'.repeat(100_000), cacheName: 'orders', schedule: 'x' });

    const validate = await fixture.cli(['policy', 'validate', '-'], record);
    const put = await fixture.cli(['policy', 'put', '-'], record);

    expect(validate.code).toBe(1);
    expect(put.code).toBe(1);
    for (const line of [...validate.stdout.split('\n'), ...put.stderr.split('\n')]) {
      expect(line.length, line.slice(0, 500)).toBeLessThan(500);
    }
    expect(put.stderr).toContain(`policy ${'x'.repeat(64)}… refused`);
  });
});
