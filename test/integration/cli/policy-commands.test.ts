import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyItem } from '#lib/policy/types';
import { type CliFixture, startCliFixture } from './support/cli-stack';

const SESSIONS = { policyId: 'sessions-4h', cacheName: 'sessions', schedule: 'rate(4 hours)' };

describe('cache-snapshots policy commands', () => {
  let fixture: CliFixture;
  beforeAll(async () => {
    fixture = await startCliFixture(['orders', 'sessions']);
  });
  afterAll(() => fixture?.stop());

  it('writes every policy of a file and syncs them at once (state and nextRunAt set)', async () => {
    const result = await fixture.cli(['policy', 'put', 'examples/orders.yaml']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/orders-hourly\s+written\s+ACTIVE/);
    const items = await fixture.cliJson<PolicyItem[]>(['policy', 'list']);
    const orders = items.filter((item) => item.cacheName === 'orders');
    expect(orders.map((item) => [item.policyId, item.state])).toEqual([
      ['orders-daily', 'ACTIVE'],
      ['orders-hourly', 'ACTIVE'],
      ['orders-weekly', 'ACTIVE'],
    ]);
    expect(orders.every((item) => typeof item.nextRunAt === 'string')).toBe(true);
  });

  it('refuses a file with an invalid policy, naming every broken field, and writes nothing', async () => {
    const result = await fixture.cli(['policy', 'put', 'examples/invalid-policy.yaml']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const field of ['schedule:', 'timezone:', 'tags:', 'retention.maxCount:']) {
      expect(result.stderr).toContain(field);
    }
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect((await fixture.cli(['policy', 'get', 'reports-every-15m'])).code).toBe(1);
  });

  it('writes none of a list when one of its policies is invalid', async () => {
    const list = JSON.stringify([
      { ...SESSIONS, policyId: 'sessions-good' },
      { ...SESSIONS, policyId: 'sessions-bad', retention: { maxCount: 0 } },
    ]);

    const result = await fixture.cli(['policy', 'put', '-'], list);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/policy sessions-bad refused, nothing written: retention\.maxCount/);
    expect((await fixture.cli(['policy', 'get', 'sessions-good'])).code).toBe(1);
  });

  it('reads YAML from stdin, and an unchanged record written again stays as it is', async () => {
    const yaml = 'policyId: sessions-4h\ncacheName: sessions\nschedule: rate(4 hours)\n';

    const first = await fixture.cli(['--json', 'policy', 'put', '-'], yaml);
    const second = await fixture.cli(['--json', 'policy', 'put', '-'], yaml);

    expect(JSON.parse(first.stdout).written[0]).toMatchObject({ policyId: 'sessions-4h', action: 'written' });
    expect(JSON.parse(second.stdout).written[0]).toMatchObject({ action: 'unchanged', state: 'ACTIVE' });
  });

  it('takes back what policy get --json prints, orchestrator attributes and all, as unchanged', async () => {
    await fixture.cli(['policy', 'put', '-'], JSON.stringify({ ...SESSIONS, policyId: 'round-trip' }));
    const stored = await fixture.cli(['--json', 'policy', 'get', 'round-trip']);

    const result = await fixture.cli(['--json', 'policy', 'put', '-'], stored.stdout);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).written).toEqual([
      expect.objectContaining({ policyId: 'round-trip', action: 'unchanged', state: 'ACTIVE' }),
    ]);
  });

  it('shows a stored policy as YAML, or as JSON with --json', async () => {
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(SESSIONS));

    const yaml = await fixture.cli(['policy', 'get', 'sessions-4h']);
    const item = await fixture.cliJson<PolicyItem>(['policy', 'get', 'sessions-4h']);

    expect(yaml.stdout).toMatch(/^policyId: sessions-4h$/m);
    expect(yaml.stdout).toMatch(/^state: ACTIVE$/m);
    expect(item).toMatchObject({ ...SESSIONS, state: 'ACTIVE' });
  });

  it('reports a policy written for a cache that does not exist as INVALID, with a non-zero exit', async () => {
    const record = { policyId: 'ghost-daily', cacheName: 'ghost', schedule: 'rate(1 day)' };

    const result = await fixture.cli(['policy', 'put', '-'], JSON.stringify(record));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'policy ghost-daily was written but is INVALID: cacheName: no serverless cache',
    );
  });

  it('validates files offline and lists every issue of an invalid one', async () => {
    const offline = {
      AWS_ENDPOINT_URL_DYNAMODB: undefined,
      POLICIES_TABLE: undefined,
      RUNS_TABLE: undefined,
    };

    const valid = await fixture.cli(['policy', 'validate', 'examples/orders.yaml'], undefined, offline);
    const invalid = await fixture.cli(
      ['policy', 'validate', 'examples/invalid-policy.yaml'],
      undefined,
      offline,
    );

    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/valid\s+orders-weekly/);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('invalid  reports-every-15m');
    expect(invalid.stdout).toContain('  timezone: must be an IANA time zone');
  });

  it('deletes a policy, and fails naming the policy when there is none', async () => {
    await fixture.cli(['policy', 'put', '-'], JSON.stringify({ ...SESSIONS, policyId: 'to-delete' }));

    const deleted = await fixture.cli(['policy', 'delete', 'to-delete']);
    const again = await fixture.cli(['policy', 'delete', 'to-delete']);

    expect(deleted.code).toBe(0);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('cache-snapshots: error: no policy to-delete in table local-policies');
  });

  it('has --help on every command', async () => {
    const commands = [
      [],
      ['policy'],
      ...['put', 'get', 'list', 'delete', 'validate'].map((name) => ['policy', name]),
    ];
    commands.push(['plan'], ['runs'], ['status'], ['tick']);

    const results = await Promise.all(commands.map((command) => fixture.cli([...command, '--help'])));

    for (const [index, result] of results.entries()) {
      expect(result.code, commands[index]?.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: cache-snapshots/);
    }
  });
});
