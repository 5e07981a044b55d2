import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { type CliFixture, startCliFixture } from './support/cli-stack';

const HEALTHY = { policyId: 'orders-healthy', cacheName: 'orders', schedule: 'rate(1 day)' };
const BROKEN = { policyId: 'orders-broken', cacheName: 'orders', schedule: 'rate(1 day)' };

/** The orchestrator attributes someone with table access broke by hand, one kind per attribute. */
const BROKEN_ATTRIBUTES = {
  lastRun: 'AVAILABLE yesterday',
  newestSnapshot: { slot: 1774245600000, snapshotName: 'orders-x', takenAt: 'then', availableAt: 'then' },
  nextRunAt: 'soon',
};

interface StatusLine {
  readonly policyId: string;
  readonly state?: string;
  readonly lastRun?: unknown;
  readonly problems?: string[];
}

describe('cache-snapshots with malformed orchestrator attributes in the table', () => {
  let fixture: CliFixture;
  beforeAll(async () => {
    fixture = await startCliFixture(['orders']);
    for (const record of [HEALTHY, BROKEN]) {
      const put = await fixture.cli(['policy', 'put', '-'], JSON.stringify(record));
      expect(put.code).toBe(0);
    }
    const documents = createItemClient({ endpoint: fixture.stack.dynamodbEndpoint });
    const stored = await fixture.cliJson<Record<string, unknown>>(['policy', 'get', BROKEN.policyId]);
    const Item = { ...stored, ...BROKEN_ATTRIBUTES, dueBucket: 'ACTIVE' };
    await documents.put({ TableName: fixture.stack.policiesTable, Item });
    const run = {
      policyId: HEALTHY.policyId,
      runKey: `${HEALTHY.cacheName}#2026-01-01T00:00:00.000Z`,
      cacheName: HEALTHY.cacheName,
      slot: '2026-01-01T00:00:00.000Z',
      status: 'AVAILABLE',
      attempts: 'x',
    };
    await documents.put({ TableName: fixture.stack.runsTable, Item: run });
    documents.destroy();
  });
  afterAll(() => fixture?.stop());

  it('status shows every policy and reports the broken one on its own line', async () => {
    const table = await fixture.cli(['status']);

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^orders-healthy\s+orders\s+\d{12}\s+\S+\s+ACTIVE\s+-\s+-\s+none\s+\S+Z/m);
    expect(table.stdout).toMatch(/^orders-broken\s+orders\s+\d{12}\s+\S+\s+ACTIVE\s+\?\s+\?\s+\?\s+\?/m);
    expect(table.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^cache-snapshots: warning: policy orders-broken has malformed orchestrator attributes, shown without them: nextRunAt: must be an ISO-8601 UTC instant .*; lastRun: must be a map \{ slot, status, at \} \(found string\); newestSnapshot\.slot: must be a string \(found number\); newestSnapshot\.takenAt: /,
      ),
    ]);
  });

  it('status --json keeps stdout JSON, with the broken attributes named in `problems`', async () => {
    const result = await fixture.cli(['--json', 'status']);

    const lines = JSON.parse(result.stdout) as StatusLine[];
    expect(lines.map((line) => [line.policyId, line.state])).toEqual([
      ['orders-broken', 'ACTIVE'],
      ['orders-healthy', 'ACTIVE'],
    ]);
    expect(lines[0]?.lastRun).toBeUndefined();
    expect(lines[0]?.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^lastRun: /), expect.stringMatching(/^nextRunAt: /)]),
    );
    expect(lines[1]).not.toHaveProperty('problems');
  });

  it('policy list and plan show the broken policy and the others', async () => {
    const list = await fixture.cli(['policy', 'list']);
    const plan = await fixture.cli(['plan', BROKEN.policyId, '-n', '2']);

    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^orders-broken\s+orders\s+rate\(1 day\)\s+UTC\s+ACTIVE\s+-/m);
    expect(list.stdout).toMatch(/^orders-healthy\s+orders\s+rate\(1 day\)\s+UTC\s+ACTIVE\s+\S+Z/m);
    expect(plan.code).toBe(0);
    expect(plan.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('runs shows the readable run records of a policy and reports the malformed one', async () => {
    const runs = await fixture.cli(['runs', HEALTHY.policyId]);

    expect(runs.code).toBe(0);
    expect(runs.stdout.trim()).toBe(`no runs of ${HEALTHY.policyId}`);
    expect(runs.stderr).toMatch(/skipping a malformed run record.*orders-healthy/s);
  });
});
