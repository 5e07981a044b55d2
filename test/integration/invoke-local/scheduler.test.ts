import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsPlacementClients } from '#lib/adapters/aws-placement-clients';
import { loadConfig } from '#lib/config';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '#lib/observability';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { syncPolicyItem } from '#lib/sync/sync-policy';
import { REPO_ROOT } from '#test/integration/template/service-copy';
import { type Invocation, type InvokeFixture, startInvokeFixture } from './invoke-fixture';

const SAMPLE = 'events/scheduled-tick.json';
const POLICY_ID = 'orders-at-this-minute';
const RULE_ACCOUNT = '210987654321';

let fixture: InvokeFixture;
let tickAt: Date;
let tick: Invocation;

beforeAll(async () => {
  fixture = await startInvokeFixture();
  fixture.stack.emulator.seedCache({ name: 'orders' });
  // The sample's `time` is fixed and long past; a tick of a stale slot only records it MISSED. So the tick
  // is the sample at the current minute, and the policy's hourly slot is that very minute: due now and
  // well inside its start window, whatever the minute.
  tickAt = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const item = {
    policyId: POLICY_ID,
    cacheName: 'orders',
    schedule: `cron(${tickAt.getUTCMinutes()} * * * ? *)`,
    tags: { team: 'payments' },
  };
  await fixture.policies.put(item);
  await syncPolicyItem(
    {
      policies: fixture.policies,
      targets: fixture.targets,
      placements: createAwsPlacementClients(
        loadConfig({
          ...fixture.stack.env,
          POLICIES_TABLE: fixture.stack.policiesTable,
          RUNS_TABLE: fixture.stack.runsTable,
          TARGETS_TABLE: fixture.stack.targetsTable,
        }),
        fixture.snapshots,
      ),
      clock: () => tickAt,
    },
    item,
  );
  const sample = JSON.parse(await readFile(join(REPO_ROOT, SAMPLE), 'utf8')) as Record<string, unknown>;
  // An account other than the stack's AWS_ACCOUNT_ID: the run's event must name the scheduled event's.
  const event = { ...sample, time: tickAt.toISOString(), account: RULE_ACCOUNT };
  tick = await fixture.invoke('scheduler', { event });
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('serverless invoke local scheduler with events/scheduled-tick.json', () => {
  it("returns the tick's summary: one slot claimed and requested", () => {
    expect(tick.result).toMatchObject({
      at: tickAt.toISOString(),
      openRuns: 0,
      claimed: 1,
      outcomes: { REQUESTED: 1 },
    });
  });

  it('creates the snapshot of the due slot, with the managed tags and the policy tags', () => {
    const snapshots = fixture.stack.emulator.snapshots();

    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({
      cacheName: 'orders',
      status: 'creating',
      tags: {
        [MANAGED_TAGS.managedBy]: MANAGED_BY_VALUE,
        [MANAGED_TAGS.policyId]: POLICY_ID,
        [MANAGED_TAGS.slot]: tickAt.toISOString(),
        team: 'payments',
      },
    });
  });

  it('records the run and logs its outcome line', async () => {
    const run = await fixture.runs.get({
      policyId: POLICY_ID,
      cacheName: 'orders',
      slot: tickAt.toISOString(),
      kind: 'SCHEDULED',
    });
    const outcome = tick.logs.find((line) => line.outcome === 'REQUESTED');

    expect(run?.status).toBe('REQUESTED');
    expect(outcome).toMatchObject({
      policyId: POLICY_ID,
      cacheName: 'orders',
      slot: tickAt.toISOString(),
      snapshotName: run?.snapshotName,
    });
  });

  it('emits SnapshotsRequested in the namespace and dimension the alarms watch', () => {
    const requested = tick.metrics.find((metric) => metric.name === METRIC.SnapshotsRequested);

    expect(requested?.namespace).toBe(METRICS_NAMESPACE);
    expect(requested?.dimensions).toEqual([['service']]);
    expect(requested?.line).toMatchObject({ service: SERVICE_NAME, [METRIC.SnapshotsRequested]: 1 });
  });

  it("publishes the run's change on the stack's EventBridge, naming the run's own account and region (not the rule's)", () => {
    const events = fixture.stack.eventBridge.events();

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'cache-snapshot-orchestrator',
      detailType: 'Snapshot Run State Change',
      eventBusName: 'default',
      detail: {
        policyId: POLICY_ID,
        slot: tickAt.toISOString(),
        status: 'REQUESTED',
        previousStatus: null,
        // Since runs carry their placement (issue 17), the event names the run's: the orchestrator's own.
        account: fixture.stack.emulator.accountId,
        region: 'us-east-1',
      },
    });
    expect(fixture.stack.emulator.accountId).not.toBe(RULE_ACCOUNT);
  });

  it('makes only calls its role allows', () => {
    expect(tick.elastiCacheCalls.map((call) => call.action)).toContain('CreateServerlessCacheSnapshot');
    expect(tick.dynamoCalls.map((call) => call.operation)).toEqual(
      expect.arrayContaining(['Query', 'PutItem', 'UpdateItem']),
    );
    expect(fixture.deniedCalls('scheduler', tick)).toEqual([]);
  });

  it('replays the sample as committed (an old tick): returns its summary and starts nothing', async () => {
    const replay = await fixture.invoke('scheduler', { path: SAMPLE });

    expect(replay.result).toMatchObject({ at: '2026-11-25T10:00:00.000Z', claimed: 0, outcomes: {} });
    expect(replay.elastiCacheCalls.map((call) => call.action)).not.toContain('CreateServerlessCacheSnapshot');
    expect(fixture.deniedCalls('scheduler', replay)).toEqual([]);
  });
});
