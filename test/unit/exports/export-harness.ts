import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { type CopyLimits, DEFAULT_COPY_LIMITS } from '#lib/exports/copy-plan';
import { EXPORT_DEFAULTS, type ExportDeps } from '#lib/exports/deps';
import type { StateEventPublisher } from '#lib/runs/run-events';
import { runEventSink } from '#lib/runs/run-events';
import type { RunRecord } from '#lib/runs/types';
import type { StateEvent } from '#lib/state-events/event-bus';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';
import { policyItem, policyOf } from '#test/support/policy-builders';
import { seedAvailableRun } from '#test/support/run-builders';
import { DEPLOYED_SETTINGS } from '#test/support/scheduler-harness';

export const SLOT = '2026-04-06T00:00:00.000Z';
export const DEPLOYMENT = 'orchestrator-test';

/** Export steps over in-memory stores, a fake gateway and clock, an in-memory S3 and a recording event sink. */
export function exportHarness(limits: CopyLimits = DEFAULT_COPY_LIMITS) {
  const time = new FakeTime('2026-04-06T00:05:00.000Z');
  const runs = new InMemoryRunStore();
  const gateway = new FakeSnapshotGateway(['orders']);
  const objects = new InMemoryObjectStore(time.clock, limits);
  const events: StateEvent[] = [];
  const publisher: StateEventPublisher = {
    publish: (event) => events.push(event),
    flush: async () => ({ published: 0, notPublished: 0 }),
  };
  let remaining = 60_000;
  const policies = new InMemoryPolicyStore();
  const deps: ExportDeps & { placements: FakePlacements } = {
    runs,
    policies,
    targets: targetStoreOf(policies, new InMemoryTargetTable()),
    placements: new FakePlacements(gateway),
    clock: time.clock,
    random: () => 0.5,
    remainingMs: () => remaining,
    settings: { ...DEPLOYED_SETTINGS, deploymentName: DEPLOYMENT },
    events: runEventSink(publisher, { account: '123456789012', region: 'us-east-1' }),
    exports: {
      objects,
      settings: { ...EXPORT_DEFAULTS, region: 'us-east-1' },
    },
  };
  return {
    time,
    runs,
    gateway,
    objects,
    events,
    deps,
    setRemainingMs: (ms: number) => {
      remaining = ms;
    },
    /** An AVAILABLE run of an hourly policy on `orders` exporting to `exportMap`, and its policy. */
    async availableRun(exportMap: Record<string, unknown>) {
      const policy = policyOf(policyItem('orders-hourly', { export: exportMap }));
      const run = await seedAvailableRun(runs, gateway, policy, SLOT);
      return { policy, run };
    },
    /** ElastiCache finished the export of `run`: the object is in `bucket`, the snapshot available again. */
    finishExport(run: RunRecord, bucket: string, bytes = 2048) {
      gateway.completeExport(run.snapshotName);
      objects.putObject({ bucket, region: 'us-east-1', key: `${run.snapshotName}-0001.rdb` }, bytes);
    },
    async stored(run: RunRecord): Promise<RunRecord> {
      const found = await runs.get(run);
      if (!found) throw new Error('run vanished');
      return found;
    },
  };
}
