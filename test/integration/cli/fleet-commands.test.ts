import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageRow } from '#lib/fleet/coverage';
import { type CliFixture, startCliFixture } from './support/cli-stack';

/**
 * The fleet through the built CLI on the local stack (emulator caches with tags, real SDK): a targets
 * policy enrols what it chooses when written, and coverage, policy list, status, plan and runs show it.
 */
describe('cache-snapshots and a targets policy', () => {
  let fixture: CliFixture;
  beforeAll(async () => {
    fixture = await startCliFixture([]);
    const { emulator } = fixture.stack;
    emulator.seedCache({ name: 'orders', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'cart', engine: 'redis', tags: { tier: 'gold', team: 'web' } });
    emulator.seedCache({ name: 'gold-test', tags: { tier: 'gold' } });
    emulator.seedCache({ name: 'search', tags: { tier: 'gold', 'snapshot-orchestrator-exclude': 'true' } });
    emulator.seedCache({ name: 'ledger', tags: { tier: 'silver' } });
    emulator.seedCache({ name: 'legacy', tags: { 'snapshot-orchestrator-exclude': 'true' } });
    emulator.seedCache({ name: 'scratchpad' });
    const gold = {
      policyId: 'gold',
      schedule: 'cron(0 3 * * ? *)',
      targets: { tags: { tier: 'gold' }, excludeNames: ['*-test'] },
    };
    const legacy = { policyId: 'legacy-daily', schedule: 'rate(1 day)', cacheName: 'legacy' };
    const none = { policyId: 'none-yet', schedule: 'rate(1 day)', targets: { names: ['billing-*'] } };
    for (const policy of [gold, legacy, none]) {
      const put = await fixture.cli(['policy', 'put', '-'], JSON.stringify(policy));
      expect(put.code, put.stderr).toBe(0);
    }
  }, 60_000);
  afterAll(async () => {
    await fixture?.stop();
  });

  it('prints coverage as a JSON array with the contract fields, every kind of exclusion explained', async () => {
    const rows = await fixture.cliJson<CoverageRow[]>(['coverage']);

    expect(rows.map((row) => [row.cacheName, row.status, row.policies])).toEqual([
      ['cart', 'PROTECTED', ['gold']],
      ['gold-test', 'EXCLUDED', []],
      ['ledger', 'UNPROTECTED', []],
      ['legacy', 'PROTECTED', ['legacy-daily']],
      ['orders', 'PROTECTED', ['gold']],
      ['scratchpad', 'UNPROTECTED', []],
      ['search', 'EXCLUDED', []],
    ]);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'account',
          'cacheName',
          'engine',
          'newestAvailableAt',
          'policies',
          'reason',
          'region',
          'status',
        ].sort(),
      );
    }
    expect(rows.find((row) => row.cacheName === 'gold-test')?.reason).toContain(
      'excludeNames: matches *-test',
    );
    expect(rows.find((row) => row.cacheName === 'search')?.reason).toContain(
      'opted out: tagged snapshot-orchestrator-exclude = true',
    );
    expect(rows.find((row) => row.cacheName === 'ledger')?.reason).toBe(
      'no ACTIVE policy names or selects it',
    );
    expect(rows.find((row) => row.cacheName === 'cart')).toMatchObject({ engine: 'redis', reason: null });
  });

  it('prints the coverage table', async () => {
    const result = await fixture.cli(['coverage']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ACCOUNT\s+REGION\s+CACHE\s+ENGINE\s+STATUS\s+POLICIES\s+NEWEST SNAPSHOT\s+REASON/m,
    );
    expect(result.stdout).toMatch(
      /^\d{12}\s+[a-z]+-[a-z]+-\d\s+scratchpad\s+valkey\s+UNPROTECTED\s+-\s+none\s+no ACTIVE policy/m,
    );
  });

  it('keeps the caches of the account and region --account and --region name, and refuses a malformed one', async () => {
    const rows = await fixture.cliJson<CoverageRow[]>(['coverage', '--region', 'us-east-1']);
    const [first] = rows;
    const own = await fixture.cliJson<CoverageRow[]>(['coverage', '--account', first?.account ?? '']);
    const elsewhere = await fixture.cliJson<CoverageRow[]>(['coverage', '--region', 'eu-west-1']);
    const malformed = await fixture.cli(['coverage', '--account', '12']);

    expect(rows).toHaveLength(7);
    expect(own).toEqual(rows);
    expect(elsewhere).toEqual([]);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain('--account');
  });

  it("lists a targets policy's targets under it with their state and next run", async () => {
    const result = await fixture.cli(['policy', 'list']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^gold\s+targets \(2\)\s+cron\(0 3 \* \* \? \*\)\s+UTC\s+ACTIVE/m);
    expect(result.stdout).toMatch(/^ └\s+cart\s+ACTIVE\s+\d{4}-\d\d-\d\dT03:00:00Z/m);
    expect(result.stdout).toMatch(/^ └\s+orders\s+ACTIVE\s+\d{4}-\d\d-\d\dT03:00:00Z/m);
  });

  it('shows one status line per target, and only one cache with --cache', async () => {
    const all = await fixture.cliJson<
      { policyId: string; cacheName?: string; state: string; stateReason?: string }[]
    >(['status']);
    const cart = await fixture.cliJson<{ policyId: string; cacheName: string }[]>([
      'status',
      '--cache',
      'cart',
    ]);

    expect(all.map((line) => `${line.policyId}/${line.cacheName ?? '-'}:${line.state}`)).toEqual([
      'gold/cart:ACTIVE',
      'gold/orders:ACTIVE',
      'legacy-daily/legacy:ACTIVE',
      'none-yet/-:ACTIVE',
    ]);
    // A targets policy that chooses no cache keeps its own line, with the warning.
    expect(all.find((line) => line.policyId === 'none-yet')?.stateReason).toContain('chooses none');
    expect(cart.map((line) => `${line.policyId}/${line.cacheName}`)).toEqual(['gold/cart']);
  });

  it('plans a target of a targets policy with --cache, and says which targets there are without it', async () => {
    const plan = await fixture.cliJson<{ cacheName: string; slots: { snapshotName: string }[] }>([
      ...['plan', 'gold', '--cache', 'cart', '-n', '2'],
    ]);
    const without = await fixture.cli(['plan', 'gold']);

    expect(plan.cacheName).toBe('cart');
    expect(plan.slots).toHaveLength(2);
    expect(plan.slots[0]?.snapshotName).toMatch(/^cart-\d{8}-0300-[0-9a-f]{8}$/);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('give --cache <name>; its targets: cart (ACTIVE), orders (ACTIVE)');
  });

  it('lists no runs of a target that has not run yet, with --cache', async () => {
    const result = await fixture.cli(['runs', 'gold', '--cache', 'cart']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no runs of gold');
  });

  it("lists a targets policy's runs with their cache once its slot ran", async () => {
    const slot = (
      await fixture.cliJson<{ cacheName: string; nextRunAt: string }[]>(['status', '--cache', 'cart'])
    )[0]?.nextRunAt;
    expect(slot).toBeDefined();
    fixture.setEmulatorTime(new Date(String(slot)));
    await fixture.cli(['tick', '--at', String(slot), '--allow-future']);

    const all = await fixture.cli(['runs', 'gold']);

    expect(all.stdout).toMatch(/^CACHE\s+SLOT \(UTC\)\s+STATUS/m);
    expect(all.stdout).toMatch(/^cart\s+\S+T03:00:00Z\s+REQUESTED\s+1\s+cart-\d{8}-0300-/m);
    expect(all.stdout).toMatch(/^orders\s+\S+T03:00:00Z\s+REQUESTED\s+1\s+orders-\d{8}-0300-/m);
  });
});
