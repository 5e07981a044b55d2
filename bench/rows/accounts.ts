import { loadavg } from 'node:os';
import { startFixture, tickId } from '#bench/support/fixture';
import { syncedPolicy } from '#bench/support/policies';
import type { CallSummary } from '#bench/support/stack-protocol';
import { formatNumber } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { toIso } from '#lib/clock';
import { loadConfig } from '#lib/config';
import { memberRoleArn, type Placement } from '#lib/placements/placement';
import { createRuntime } from '#lib/runtime';
import { runTick } from '#lib/scheduler/tick';

/** The emulator's own account (the orchestrator's), two member accounts, and the two regions of each. */
const OWN = '123456789012';
const ACCOUNTS = [OWN, '210987654321', '345678901234'] as const;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const CACHES = 500;
/** Requests per second each (account, region) of the emulator answers before Throttling, as AWS limits. */
const RATE_LIMIT = 20;
const LATENCY_MS = 20;
const EXTERNAL_ID = 'bench-accounts-external-id';
const CREATE = 'CreateServerlessCacheSnapshot';

interface TickRun {
  readonly wallMs: number;
  /** CPU time of this process (the tick; the emulator runs in another) while the tick ran. */
  readonly cpuMs: number;
  readonly creates: readonly CallSummary[];
}

/**
 * One tick (runTick, in-memory stores, the runtime's placements on the real SDK) over CACHES due policies
 * in each of `placements`, the member roles assumed on the local STS, every ElastiCache call taking
 * LATENCY_MS and each (account, region) limited to RATE_LIMIT requests a second. Timed from the tick's start
 * to its end; the Create calls the emulator saw, with the partition each reached.
 */
async function tickOver(placements: readonly Placement[]): Promise<TickRun> {
  const fixture = await startFixture({ stores: 'memory' });
  try {
    const { stack } = fixture;
    for (const account of ACCOUNTS.filter((id) => id !== OWN)) {
      await stack.trustRole(
        memberRoleArn('aws', account, 'cache-snapshot-orchestrator-member'),
        EXTERNAL_ID,
        OWN,
      );
    }
    const runtime = createRuntime(loadConfig({ ...process.env, MEMBER_EXTERNAL_ID: EXTERNAL_ID }));
    const names = Array.from({ length: CACHES }, (_, i) => `bench-cache-${i}`);
    for (const { account, region } of placements) {
      await stack.seedCaches(names, { accountId: account, region });
      for (const cacheName of names) {
        const policyId = `p-${account}-${region}-${cacheName}`;
        const placement = account === OWN ? { region } : { account, region };
        const item = { policyId, cacheName, schedule: 'cron(0 * * * ? *)', ...placement };
        await fixture.policies.put(syncedPolicy(item, toIso(fixture.at), toIso(fixture.at)));
      }
    }
    await stack.setLatency(LATENCY_MS);
    await stack.setRateLimit(RATE_LIMIT);
    await stack.resetCalls();
    const started = performance.now();
    const cpu = process.cpuUsage();
    await runTick(fixture.deps({ placements: runtime.placements }), { at: fixture.at, tickId: tickId() });
    const { user, system } = process.cpuUsage(cpu);
    const wallMs = performance.now() - started;
    const creates = (await stack.calls()).filter((call) => call.action === CREATE);
    return { wallMs, cpuMs: (user + system) / 1000, creates };
  } finally {
    await fixture.stop();
  }
}

/**
 * Created per second in one (account, region) while its Creates were being made: from its first Create's
 * arrival to its last (the tick's claims come before, and its other phases after).
 */
function createRate(calls: readonly CallSummary[]): number {
  const times = calls.map((call) => call.at);
  const spanMs = Math.max(1, Math.max(...times) - Math.min(...times));
  return (ok(calls) / spanMs) * 1000;
}

/**
 * An account's rate: the sum of its regions' rates, each over its own Creates. Each region has its own limit,
 * so one region finishing first leaves its limit unused without the other's being any less used: timing the
 * account from its first Create in any region to its last in any would count that as a shortfall.
 */
function accountRate(calls: readonly CallSummary[]): number {
  return REGIONS.reduce((sum, region) => sum + createRate(calls.filter((call) => call.region === region)), 0);
}

const ok = (calls: readonly CallSummary[]) => calls.filter((call) => call.outcome === 'ok').length;
const throttled = (calls: readonly CallSummary[]) =>
  calls.filter((call) => call.outcome === 'Throttling').length;
const percent = (calls: readonly CallSummary[]) =>
  `${formatNumber((100 * throttled(calls)) / Math.max(1, calls.length), 1)}% (${throttled(calls)} of ${calls.length})`;

/**
 * Row 17: a tick over 3 accounts × 2 regions × 500 caches, each (account, region) with its own API rate
 * limit in the emulator, beside the baseline measured in the same run: the same tick over one account in one
 * region (500 caches, the same limit). Each account's achieved Create rate against its limit (its two
 * regions' together), the tick's CPU time (whether the tick could keep up at all) and the throttled share,
 * with the targets of one account (≥ 0.8 of the limit, < 5 %).
 */
export async function measureAccounts(): Promise<Row[]> {
  const baseline = await tickOver([{ account: OWN, region: REGIONS[0] }]);
  const everywhere = ACCOUNTS.flatMap((account) => REGIONS.map((region) => ({ account, region })));
  const fleet = await tickOver(everywhere);
  const baseRate = createRate(baseline.creates);
  const baseLine = `one account, one region: ${formatNumber(baseRate, 1)}/s of ${RATE_LIMIT}/s (${formatNumber(baseRate / RATE_LIMIT, 2)})`;
  const rows: Row[] = [
    {
      name: `17. tick wall time, ${ACCOUNTS.length} accounts × ${REGIONS.length} regions × ${CACHES} caches`,
      measured: `${formatNumber(fleet.wallMs)} ms (${ok(fleet.creates)} created)`,
      baseline: `${formatNumber(baseline.wallMs)} ms, 1 account × 1 region × ${CACHES} caches (${ok(baseline.creates)} created)`,
      ratio: fleet.wallMs / baseline.wallMs,
      target: 'info: 1 = placements in parallel, 6 = one limit for all',
      pass: undefined,
    },
  ];
  for (const account of ACCOUNTS) {
    const calls = fleet.creates.filter((call) => call.accountId === account);
    const limit = RATE_LIMIT * REGIONS.length;
    const rate = accountRate(calls);
    const regions = REGIONS.map(
      (region) => `${region} ${formatNumber(createRate(calls.filter((call) => call.region === region)), 1)}`,
    );
    rows.push({
      name: `17. achieved Create rate, account ${account}${account === OWN ? ' (own)' : ''}, ${REGIONS.length} regions at ${RATE_LIMIT}/s each`,
      measured: `${formatNumber(rate, 1)}/s of ${limit}/s (${regions.join(' + ')}; ${ok(calls)} created)`,
      baseline: baseLine,
      ratio: rate / limit,
      target: '≥ 0.8 × limit',
      pass: rate >= 0.8 * limit && ok(calls) === CACHES * REGIONS.length,
    });
  }
  // At every limit's pace, a Create is due every 1000 / (placements × limit) ms of wall time.
  const paceMs = 1000 / (everywhere.length * RATE_LIMIT);
  const cpuPerCreate = fleet.cpuMs / Math.max(1, ok(fleet.creates));
  rows.push({
    name: '17. tick CPU time per created snapshot (the tick process; the emulator runs in another)',
    // The share of a core the tick got, beside the machine's load: a tick given less than it needs falls short
    // of the limits however well it paces its calls.
    measured: `${formatNumber(cpuPerCreate, 2)} ms (${formatNumber(fleet.cpuMs)} ms CPU in ${formatNumber(fleet.wallMs)} ms wall: ${formatNumber((100 * fleet.cpuMs) / fleet.wallMs, 0)}% of one core, load average ${formatNumber(loadavg()[0] ?? 0, 1)})`,
    baseline: `${formatNumber(paceMs, 2)} ms wall per Create at every limit's pace (${everywhere.length} × ${RATE_LIMIT}/s)`,
    ratio: cpuPerCreate / paceMs,
    target: 'info: ratio = share of one core the tick needs to keep to the limits',
    pass: undefined,
  });
  rows.push({
    name: '17. Create calls answered Throttling, all accounts and regions',
    measured: percent(fleet.creates),
    baseline: `one account, one region: ${percent(baseline.creates)}`,
    ratio:
      throttled(fleet.creates) /
      fleet.creates.length /
      (throttled(baseline.creates) / baseline.creates.length),
    target: '< 5%',
    pass: throttled(fleet.creates) / fleet.creates.length < 0.05,
  });
  return rows;
}
