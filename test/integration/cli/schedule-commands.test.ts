import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotName } from '#lib/naming/snapshot-name';
import type { PolicyItem } from '#lib/policy/types';
import type { RunRecord } from '#lib/runs/types';
import { type CliFixture, startCliFixture } from './support/cli-stack';

const MINUTE = 60_000;
const HOURLY = {
  policyId: 'orders-hourly',
  cacheName: 'orders',
  schedule: 'cron(0 * * * ? *)',
  retention: { maxCount: 1 },
};

/** The name a slot of `policyId` on cache `orders` gets in the local stack's deployment. */
function planned(policyId: string, slot: Date): string {
  const deployment = 'cache-snapshot-orchestrator-local';
  return buildSnapshotName({ namePrefix: 'orders', deployment, policyId, cacheName: 'orders', slot });
}

interface PlanOutput {
  readonly slots: { slot: string; local: string; snapshotName: string; runStatus: string | null }[];
}

describe('cache-snapshots plan, tick, runs and status', () => {
  let fixture: CliFixture;
  let firstSlot: Date;
  const at = (offsetMs: number) => new Date(firstSlot.getTime() + offsetMs);

  /** One `tick --at` (ahead of the clock: a simulation), with the emulator's clock at the same time. */
  async function tickAt(time: Date) {
    fixture.setEmulatorTime(time);
    const args = ['tick', '--at', time.toISOString(), '--allow-future'];
    return fixture.cliJson<{ outcomes: Record<string, number> }>(args);
  }

  beforeAll(async () => {
    fixture = await startCliFixture(['orders', 'catalog']);
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(HOURLY));
    const item = await fixture.cliJson<PolicyItem>(['policy', 'get', HOURLY.policyId]);
    firstSlot = new Date(item.nextRunAt ?? '');
  });
  afterAll(() => fixture?.stop());

  it('plans the next slots, in the time zone and UTC, with the name each snapshot will get', async () => {
    const record = {
      ...HOURLY,
      policyId: 'orders-berlin',
      schedule: 'cron(30 2 * * ? *)',
      timezone: 'Europe/Berlin',
    };
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(record));

    const plan = await fixture.cliJson<PlanOutput>([
      'plan',
      'orders-berlin',
      '--from',
      '2026-03-28T00:00:00Z',
      '-n',
      '2',
    ]);
    const table = await fixture.cli(['plan', 'orders-berlin', '--from', '2026-03-28T00:00:00Z', '-n', '2']);

    expect(plan.slots).toEqual([
      {
        slot: '2026-03-28T01:30:00.000Z',
        local: '2026-03-28T02:30+01:00',
        snapshotName: planned('orders-berlin', new Date('2026-03-28T01:30:00Z')),
        runStatus: null,
      },
      {
        slot: '2026-03-29T01:00:00.000Z',
        local: '2026-03-29T03:00+02:00',
        snapshotName: planned('orders-berlin', new Date('2026-03-29T01:00:00Z')),
        runStatus: null,
      },
    ]);
    expect(table.stdout).toMatch(/2026-03-29T03:00\+02:00\s+2026-03-29T01:00:00Z\s+orders-20260329-0100-/);
  });

  it('drives a schedule with tick --at: a request, its completion, the next slot, then retention', async () => {
    const plan = await fixture.cliJson<PlanOutput>([
      'plan',
      HOURLY.policyId,
      '--from',
      firstSlot.toISOString(),
    ]);
    fixture.stack.emulator.resetCalls();

    const ticks = [
      await tickAt(at(1 * MINUTE)),
      await tickAt(at(7 * MINUTE)),
      await tickAt(at(61 * MINUTE)),
      await tickAt(at(67 * MINUTE)),
    ];

    expect(ticks.map((tick) => tick.outcomes)).toEqual([
      { REQUESTED: 1 },
      { AVAILABLE: 1 },
      { REQUESTED: 1 },
      { AVAILABLE: 1, PRUNING: 1, PRUNED: 1 },
    ]);
    const runs = await fixture.cliJson<RunRecord[]>(['runs', HOURLY.policyId]);
    expect(runs.map((run) => [run.slot, run.status, run.snapshotName])).toEqual([
      [plan.slots[0]?.slot, 'PRUNED', plan.slots[0]?.snapshotName],
      [plan.slots[1]?.slot, 'AVAILABLE', plan.slots[1]?.snapshotName],
    ]);
    const calls = fixture.stack.emulator.calls.filter(
      (call) => call.action !== 'DescribeServerlessCacheSnapshots',
    );
    expect(
      calls.map((call) => [call.action, call.params.SnapshotName ?? call.params.ServerlessCacheSnapshotName]),
    ).toEqual([
      ['CreateServerlessCacheSnapshot', plan.slots[0]?.snapshotName],
      ['CreateServerlessCacheSnapshot', plan.slots[1]?.snapshotName],
      ['ListTagsForResource', undefined],
      ['DeleteServerlessCacheSnapshot', plan.slots[0]?.snapshotName],
    ]);
  });

  it('lists runs as a table, filtered by status and by slot time', async () => {
    const available = await fixture.cli(['runs', HOURLY.policyId, '--status', 'available']);
    const since = await fixture.cliJson<RunRecord[]>([
      'runs',
      HOURLY.policyId,
      '--since',
      at(30 * MINUTE).toISOString(),
    ]);
    const none = await fixture.cli(['runs', HOURLY.policyId, '--status', 'FAILED,MISSED']);

    expect(available.stdout.trim().split('\n')).toHaveLength(2);
    expect(available.stdout).toMatch(/^SLOT \(UTC\)\s+STATUS\s+ATTEMPTS\s+SNAPSHOT\s+KIND/);
    expect(available.stdout).toMatch(/AVAILABLE\s+1\s+orders-\S+\s+SCHEDULED\s/);
    expect(since.map((run) => run.slot)).toEqual([at(60 * MINUTE).toISOString()]);
    expect(none.stdout.trim()).toBe(`no runs of ${HOURLY.policyId}`);
  });

  it('shows one status line per policy: state, last run and outcome, newest available snapshot', async () => {
    const lines = await fixture.cliJson<
      { policyId: string; lastRun?: { status: string }; newestSnapshot?: { slot: string } }[]
    >(['status']);
    const table = await fixture.cli(['status']);

    const hourly = lines.find((line) => line.policyId === HOURLY.policyId);
    expect(hourly?.lastRun?.status).toBe('AVAILABLE');
    expect(hourly?.newestSnapshot?.slot).toBe(at(60 * MINUTE).toISOString());
    expect(table.stdout).toMatch(
      /^orders-hourly\s+orders\s+123456789012\s+\S+\s+ACTIVE\s+\S+Z\s+AVAILABLE\s+\S+ ago\s+\S+Z/m,
    );
  });

  it('status --account and --region show only the policies of that placement, the own one where none is named', async () => {
    const abroad = {
      policyId: 'orders-eu',
      cacheName: 'orders',
      schedule: 'rate(1 day)',
      region: 'eu-west-1',
    };
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(abroad));

    const ids = async (...filter: string[]) =>
      (await fixture.cliJson<{ policyId: string; region: string }[]>(['status', ...filter])).map(
        (line) => `${line.policyId}@${line.region}`,
      );
    const own = await ids('--region', 'us-east-1', '--account', '123456789012');
    const refused = await fixture.cli(['status', '--region', 'europe']);

    expect(await ids('--region', 'eu-west-1')).toEqual(['orders-eu@eu-west-1']);
    expect(own).toContain('orders-hourly@us-east-1');
    expect(own).not.toContain('orders-eu@eu-west-1');
    expect(await ids('--account', '999999999999')).toEqual([]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--region.*must be an AWS Region code such as 'eu-west-1'/);
    await fixture.cli(['policy', 'delete', abroad.policyId]);
  });

  it('judges the start window at the --at time: a daily slot ticked 90 minutes late is MISSED, not created', async () => {
    const daily = { policyId: 'catalog-daily', cacheName: 'catalog', schedule: 'cron(0 3 * * ? *)' };
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(daily));
    const slot = new Date(
      (await fixture.cliJson<PolicyItem>(['policy', 'get', daily.policyId])).nextRunAt ?? '',
    );
    fixture.stack.emulator.resetCalls();

    await tickAt(new Date(slot.getTime() + 90 * MINUTE));

    const runs = await fixture.cliJson<RunRecord[]>(['runs', daily.policyId]);
    expect(runs.map((run) => [run.slot, run.status, run.lastError?.code])).toEqual([
      [slot.toISOString(), 'MISSED', 'StartWindowClosed'],
    ]);
    const creates = fixture.stack.emulator.calls.filter(
      (call) =>
        call.action === 'CreateServerlessCacheSnapshot' && call.params.ServerlessCacheName === 'catalog',
    );
    expect(creates).toEqual([]);
  });

  it('refuses tick --at tomorrow without --allow-future, and changes nothing', async () => {
    const hourly = { policyId: 'catalog-hourly', cacheName: 'catalog', schedule: 'cron(0 * * * ? *)' };
    await fixture.cli(['policy', 'put', '-'], JSON.stringify(hourly));
    const before = await fixture.cliJson<PolicyItem>(['policy', 'get', hourly.policyId]);
    const tomorrow = new Date(Date.now() + 24 * 60 * MINUTE);

    const result = await fixture.cli(['tick', '--at', tomorrow.toISOString()]);

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^cache-snapshots: error: --at \S+Z is (1d 0h|23h 59m) ahead of the clock .*--allow-future/,
      ),
    ]);
    expect(await fixture.cliJson<RunRecord[]>(['runs', hourly.policyId])).toEqual([]);
    expect(await fixture.cliJson<PolicyItem>(['policy', 'get', hourly.policyId])).toEqual(before);
  });

  it('takes an --at up to a minute ahead of the clock, or in the past, without --allow-future', async () => {
    const soon = await fixture.cli(['tick', '--at', new Date(Date.now() + 30_000).toISOString()]);
    const past = await fixture.cli(['tick', '--at', new Date(Date.now() - 60 * MINUTE).toISOString()]);

    expect([soon.code, soon.stderr]).toEqual([0, '']);
    expect([past.code, past.stderr]).toEqual([0, '']);
  });

  it('refuses an --at time without a zone, in one line', async () => {
    const result = await fixture.cli(['tick', '--at', '2026-03-23T06:00:00']);

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('expected an ISO-8601 time with a zone');
  });
});
