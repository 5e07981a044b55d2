import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRestoreTestStore } from '#lib/adapters/memory/restore-test-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { MINUTE_MS } from '#lib/clock';
import type { CachePolicy } from '#lib/policy/types';
import { followRestoreTests } from '#lib/restore-tests/follow-restore-tests';
import type { RestoreTestDeps } from '#lib/restore-tests/restore-test-deps';
import type { DueRestoreTestDeps } from '#lib/restore-tests/start-due-restore-tests';
import { startRestoreTest } from '#lib/restore-tests/start-restore-test';
import type { RestoreTestRecord } from '#lib/restore-tests/types';
import type { StateEvent } from '#lib/state-events/event-bus';
import { FakePlacements } from './fake-placements';
import { FakeSnapshotGateway } from './fake-snapshot-gateway';
import { FakeTime } from './fake-time';
import { policyItem, policyOf } from './policy-builders';
import { seedAvailableRun } from './run-builders';

export const DEPLOYMENT = 'cache-snapshot-orchestrator-test';

/**
 * Restore tests over in-memory stores, a fake gateway (cache `orders`, one AVAILABLE snapshot of policy
 * `nightly`) and a fake clock; `tick(at)` is the tick's restore-test phase, `events` what it published.
 */
export class RestoreTestHarness {
  readonly policies = new InMemoryPolicyStore();
  readonly runs = new InMemoryRunStore();
  readonly restoreTests = new InMemoryRestoreTestStore();
  /** The targets table: the targets of a `targets` policy whose restore tests are started. */
  readonly targets = new InMemoryTargetTable();
  readonly gateway = new FakeSnapshotGateway();
  /** The own placement is `gateway`; a test adds member placements (`placements.add`). On the fake clock. */
  readonly placements: FakePlacements;
  readonly time: FakeTime;
  readonly events: StateEvent[] = [];
  readonly policy: CachePolicy;
  readonly deps: RestoreTestDeps & DueRestoreTestDeps;

  constructor(start: string, maxMinutes = 30) {
    this.time = new FakeTime(start);
    this.placements = new FakePlacements(this.gateway, this.time.clock);
    this.gateway.addCache('orders', { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] });
    const item = policyItem('nightly', { restoreTest: { schedule: 'cron(0 4 * * ? *)', maxMinutes } });
    this.policy = policyOf(item);
    void this.policies.put({ ...item, state: 'ACTIVE' });
    this.deps = {
      restoreTests: this.restoreTests,
      targets: this.targets,
      runs: this.runs,
      policies: this.policies,
      placements: this.placements,
      clock: this.time.clock,
      deployment: DEPLOYMENT,
      random: () => 0.5,
      remainingMs: () => 60_000,
      events: {
        publish: (event) => this.events.push(event),
        origin: { account: '123456789012', region: 'eu-west-1' },
      },
      settings: {
        pollIntervalMs: MINUTE_MS,
        leaseMs: 2 * MINUTE_MS,
        durableBackoff: { baseMs: 2 * MINUTE_MS, maxMs: 15 * MINUTE_MS },
        runRetentionDays: 30,
        concurrency: 4,
        deadlineMarginMs: 5_000,
      },
    };
  }

  /** An AVAILABLE snapshot of the policy's cache, taken at `slot`. */
  seedSnapshot(slot: string) {
    return seedAvailableRun(this.runs, this.gateway, this.policy, slot);
  }

  /** The test of `slot` started (its record), as reconcile or the CLI starts one. */
  async start(slot: string): Promise<RestoreTestRecord> {
    const outcome = await startRestoreTest(this.deps, this.policy, 'orders', slot, new Set());
    if (!outcome.started) throw new Error(`restore test of ${slot} not started`);
    return outcome.record;
  }

  /** The tick's restore-test phase at `at` (the clock set to it). */
  tick(at: string) {
    this.time.set(at);
    return followRestoreTests(this.deps, new Date(at));
  }

  async record(slot: string): Promise<RestoreTestRecord> {
    const record = await this.restoreTests.get({ policyId: 'nightly', cacheName: 'orders', slot });
    if (!record) throw new Error(`no restore test of ${slot}`);
    return record;
  }

  /** The status changes published, as `previous→status`. */
  statusChanges(): string[] {
    return this.events.map(
      (event) => `${String(event.detail.previousStatus)}→${String(event.detail.status)}`,
    );
  }
}
