import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyItem } from '#lib/policy/types';
import { type CliFixture, startCliFixture } from './support/cli-stack';

const DAILY_UTC = { policyId: 'catalog-daily', cacheName: 'catalog', schedule: 'cron(15 5 * * ? *)' };

interface PlanOutput {
  readonly slots: { slot: string; runStatus: string | null }[];
}

describe('cache-snapshots on the command line', () => {
  let fixture: CliFixture;
  beforeAll(async () => {
    fixture = await startCliFixture(['catalog']);
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(DAILY_UTC));
  });
  afterAll(() => fixture?.stop());

  it.each([
    [['--bogus', 'status'], "unknown option '--bogus'"],
    [['policy', 'get'], "missing required argument 'id'"],
    [['polcy', 'list'], "unknown command 'polcy'"],
    [['plan', DAILY_UTC.policyId, '-n', '0'], "option '-n, --count <n>' argument '0' is invalid."],
  ])('prefixes commander’s own error for %j with cache-snapshots: error:', async (args, message) => {
    const result = await fixture.cli(args);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]?.startsWith(`cache-snapshots: error: ${message}`), lines[0]).toBe(true);
    for (const line of lines) expect(line).toMatch(/^cache-snapshots: error: /);
  });

  it('cuts a huge argument commander quotes back in its error', async () => {
    const result = await fixture.cli(['runs', DAILY_UTC.policyId, '--since', 'x'.repeat(100_000)]);

    expect(result.code).toBe(1);
    expect(result.stderr.length).toBeLessThan(400);
    expect(result.stderr).toContain(`argument '${'x'.repeat(64)}…' is invalid`);
  });

  it('names the forms --since takes, and refuses 30 February and 25:00', async () => {
    const word = await fixture.cli(['runs', DAILY_UTC.policyId, '--since', 'yesterday']);
    const february = await fixture.cli(['runs', DAILY_UTC.policyId, '--since', '2026-02-30T00:00:00Z']);
    const hour = await fixture.cli(['runs', DAILY_UTC.policyId, '--since', '2026-03-01T25:00:00Z']);

    expect(word.code).toBe(1);
    expect(word.stderr).toContain(
      'expected an ISO-8601 time with a zone (2026-03-23T06:00:00Z or 2026-03-23T08:00+02:00) or a duration back from now (90m, 12h, 7d)',
    );
    for (const impossible of [february, hour]) {
      expect(impossible.code).toBe(1);
      expect(impossible.stderr).toMatch(
        /^cache-snapshots: error: option '--since <time>' argument '.*' is invalid\. no such time/,
      );
    }
  });

  it('fails runs for a policy id the tables do not know, naming both tables', async () => {
    const result = await fixture.cli(['runs', 'catalog-daly']);

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'cache-snapshots: error: no policy catalog-daly in table local-policies, and no run records of it in table local-runs',
    );
  });

  it('keeps the log lines of --verbose --json off stdout', async () => {
    const record = { ...DAILY_UTC, policyId: 'catalog-verbose' };

    const result = await fixture.cli(['--verbose', '--json', 'policy', 'put', '-'], JSON.stringify(record));

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).written[0]).toMatchObject({
      policyId: 'catalog-verbose',
      state: 'ACTIVE',
    });
    expect(result.stderr).toContain('"message": "policy synced"');
  });

  it('prints with --verbose a stack trace that names the source files (the bundle’s source map is used)', async () => {
    const result = await fixture.cli([
      '--verbose',
      '--policies-table',
      'no-such-table',
      'policy',
      'get',
      'x',
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cache-snapshots: error: DynamoDB GetItem on table no-such-table failed/);
    expect(result.stderr).toMatch(/^\s+at .*lib\/adapters\/dynamodb\/table-call\.ts:\d+:\d+/m);
  });

  it('plans a UTC policy in one UTC column, and marks a slot that already has a run record', async () => {
    const item = await fixture.cliJson<PolicyItem>(['policy', 'get', DAILY_UTC.policyId]);
    const slot = String(item.nextRunAt);
    fixture.setEmulatorTime(new Date(slot));
    await fixture.cli(['tick', '--at', slot, '--allow-future']);

    const table = await fixture.cli(['plan', DAILY_UTC.policyId, '-n', '2']);
    const plan = await fixture.cliJson<PlanOutput>(['plan', DAILY_UTC.policyId, '-n', '2']);

    const lines = table.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^SLOT \(UTC\)\s+SNAPSHOT NAME\s+RUN$/);
    expect(lines[2]).toMatch(
      new RegExp(`^${slot.slice(0, 19)}Z\\s+catalog-\\d{8}-0515-[0-9a-f]{8}\\s+REQUESTED$`),
    );
    expect(lines[3]).toMatch(/^\S+Z\s+catalog-\d{8}-0515-[0-9a-f]{8}$/);
    expect(plan.slots.map((planned) => planned.runStatus)).toEqual(['REQUESTED', null]);
  });
});
