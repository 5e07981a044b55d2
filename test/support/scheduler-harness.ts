import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { DEFAULTS } from '#lib/config';
import type { RunStore } from '#lib/runs/run-store';
import type { RunKind, RunRecord } from '#lib/runs/types';
import { type SchedulerDeps, type SchedulerSettings, settingsFrom } from '#lib/scheduler/deps';
import { runTick, type TickSummary } from '#lib/scheduler/tick';
import { targetStoreOf } from '#lib/targets/target-store';
import { FakePlacements } from './fake-placements';
import { FakeSnapshotGateway } from './fake-snapshot-gateway';
import { FakeTime } from './fake-time';

/** The deployment name of the in-memory harness. */
export const TEST_DEPLOYMENT = 'cache-snapshot-orchestrator-test';

/** The deployed settings (config defaults), which tests override where a case needs it. */
export const DEPLOYED_SETTINGS: SchedulerSettings = settingsFrom({
  policiesTable: 'policies',
  runsTable: 'runs',
  targetsTable: 'targets',
  deploymentName: TEST_DEPLOYMENT,
  ...DEFAULTS,
});

export interface HarnessOptions {
  readonly start: string;
  readonly caches?: readonly string[];
  readonly settings?: Partial<SchedulerSettings>;
  /** Replaces the in-memory run store (e.g. with one that fails for some policy). */
  readonly runs?: RunStore;
  /** Random source for jitter; default 0.5 (half of each backoff ceiling). */
  readonly random?: () => number;
}

/**
 * A scheduler over in-memory stores, a fake gateway and a fake clock. Each `tick(at)` sets the clock to
 * the event time and gives the invocation `invocationMs` (default a minute) before its deadline; sleeps
 * inside the tick move the clock and so use up that time.
 */
export class SchedulerHarness {
  readonly policies = new InMemoryPolicyStore();
  readonly targets = targetStoreOf(this.policies, new InMemoryTargetTable());
  readonly runs: RunStore;
  /** The own placement's gateway. */
  readonly gateway: FakeSnapshotGateway;
  /** Every placement's gateway, `gateway` the own one's; `placements.add` gives another account or region one. */
  readonly placements: FakePlacements;
  readonly time: FakeTime;
  readonly deps: SchedulerDeps;
  private deadlineMs = Number.POSITIVE_INFINITY;

  constructor(options: HarnessOptions) {
    this.time = new FakeTime(options.start);
    this.gateway = new FakeSnapshotGateway(options.caches ?? ['orders']);
    this.runs = options.runs ?? new InMemoryRunStore();
    this.placements = new FakePlacements(this.gateway, this.time.clock);
    this.deps = {
      policies: this.policies,
      runs: this.runs,
      targets: this.targets,
      placements: this.placements,
      clock: this.time.clock,
      sleep: this.time.sleep,
      random: options.random ?? (() => 0.5),
      remainingMs: () => this.deadlineMs - this.time.now().getTime(),
      settings: { ...DEPLOYED_SETTINGS, ...options.settings },
    };
  }

  /** Runs one tick for the scheduled event at `at`, with `invocationMs` left before the deadline. */
  tick(at: string, invocationMs = 60_000, tickId = `event-${at}`): Promise<TickSummary> {
    this.time.set(at);
    this.deadlineMs = this.time.now().getTime() + invocationMs;
    return runTick(this.deps, { at: new Date(at), tickId });
  }

  /** The policy's run of `slot` (of `kind`, SCHEDULED unless given), whatever its cache. */
  async run(policyId: string, slot: string, kind: RunKind = 'SCHEDULED'): Promise<RunRecord | undefined> {
    for await (const run of this.runs.listByPolicy(policyId, { since: slot })) {
      if (run.slot === slot && run.kind === kind) return run;
    }
    return undefined;
  }

  /** The stored run of (policyId, slot); fails the test when there is none. */
  async requireRun(policyId: string, slot: string): Promise<RunRecord> {
    const run = await this.run(policyId, slot);
    if (!run) throw new Error(`no run record for ${policyId} at ${slot}`);
    return run;
  }

  async nextRunAt(policyId: string): Promise<string | undefined> {
    return (await this.policies.get(policyId))?.nextRunAt;
  }
}
