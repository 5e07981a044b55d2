import { randomUUID } from 'node:crypto';
import { addMs } from '#lib/clock';
import { loadConfig } from '#lib/config';
import type { ExportContext, ExportSettings } from '#lib/exports/deps';
import type { PolicyItem } from '#lib/policy/types';
import type { DueRestoreTestDeps } from '#lib/restore-tests/start-due-restore-tests';
import type { RunRecord } from '#lib/runs/types';
import { createRuntime, exportContextOf, type Runtime, runEventsOf } from '#lib/runtime';
import { type SchedulerDeps, type SchedulerSettings, settingsFrom } from '#lib/scheduler/deps';
import { runTick, type TickSummary } from '#lib/scheduler/tick';
import type { ReconcileDeps } from '#lib/sync/reconcile';
import { type SyncDeps, type SyncOutcome, syncPolicyItem } from '#lib/sync/sync-policy';
import type { EmulatorOptions } from './emulator/index';
import { createRandom } from './emulator/prng';
import { noDelayRetries } from './no-delay-retries';
import { type LocalStack, startLocalStack } from './stack';

export interface SimulationOptions {
  /** The simulated time at the start. */
  readonly start: Date;
  readonly emulator?: Omit<EmulatorOptions, 'clock'>;
  readonly settings?: Partial<SchedulerSettings>;
  /** Seed of the scheduler's jitter (the emulator has its own in `emulator.seed`). */
  readonly seed?: number;
  /** Time left in each simulated invocation (default: one minute, never running out). */
  readonly remainingMs?: () => number;
  /** Starts the local S3 too, its objects' LastModified on the simulated clock. */
  readonly s3?: boolean;
  /** `DEPLOYMENT_NAME` of the stack (default `cache-snapshot-orchestrator-local`). */
  readonly deploymentName?: string;
  /** Export settings over the deployed ones (exports run only with `s3`). */
  readonly exportSettings?: Partial<ExportSettings>;
  /** `MEMBER_EXTERNAL_ID` of the runtime (default none: member accounts unreachable, as deployed without it). */
  readonly memberExternalId?: string;
}

/**
 * The whole orchestrator on the local stack under simulated time: the emulator and the scheduler read the
 * same fake clock, backoff sleeps advance it instead of waiting, and jitter is seeded. The real DynamoDB
 * and ElastiCache SDK clients are used, pointed at the stack through the standard endpoint variables (set
 * on `process.env`, so run one simulation per process at a time), with the SDK's standard retry without its
 * real-time backoff waits (noDelayRetries).
 */
export class Simulation {
  private readonly random: () => number;

  private constructor(
    readonly stack: LocalStack,
    readonly runtime: Runtime,
    private readonly options: SimulationOptions,
    /** The simulated time, shared with the simulations of other stages on the same stack. */
    private readonly time: { current: Date },
  ) {
    this.random = createRandom(options.seed ?? 7);
  }

  static async start(options: SimulationOptions): Promise<Simulation> {
    let simulation: Simulation | undefined;
    const clock = () => simulation?.now ?? options.start;
    const stack = await startLocalStack({
      emulator: { ...options.emulator, clock },
      s3: options.s3 ? { clock } : false,
      eventClock: clock,
      deploymentName: options.deploymentName,
    });
    Object.assign(process.env, stack.env);
    if (options.memberExternalId === undefined) delete process.env.MEMBER_EXTERNAL_ID;
    else process.env.MEMBER_EXTERNAL_ID = options.memberExternalId;
    simulation = new Simulation(
      stack,
      createRuntime(loadConfig(), { retryStrategy: noDelayRetries }),
      options,
      { current: options.start },
    );
    return simulation;
  }

  /**
   * Another stage of the service on the same stack and clock: its own tables (`tablePrefix`) and
   * `DEPLOYMENT_NAME`, the same caches and snapshots. Stopping either stops the shared stack.
   */
  async addStage(deploymentName: string, tablePrefix: string): Promise<Simulation> {
    const env = await this.stack.addStage(deploymentName, tablePrefix);
    const runtime = createRuntime(loadConfig({ ...process.env, ...env }), { retryStrategy: noDelayRetries });
    return new Simulation(this.stack, runtime, { ...this.options, deploymentName }, this.time);
  }

  get now(): Date {
    return this.time.current;
  }

  setTime(at: Date): void {
    this.time.current = at;
  }

  /**
   * Scheduler dependencies on the fake clock (tests may override any of them). Run events go to the
   * stack's EventBridge, refused entries put again without waiting (as the SDK clients retry here).
   */
  schedulerDeps(overrides: Partial<SchedulerDeps> = {}): SchedulerDeps {
    return {
      policies: this.runtime.policies,
      runs: this.runtime.runs,
      targets: this.runtime.targets,
      placements: this.runtime.placements,
      clock: () => this.time.current,
      sleep: async (ms) => {
        this.time.current = addMs(this.time.current, ms);
      },
      random: this.random,
      remainingMs: this.options.remainingMs ?? (() => 60_000),
      settings: { ...settingsFrom(this.runtime.config), ...this.options.settings },
      events: runEventsOf(this.runtime, { sleep: async () => {} }),
      ...this.exportContext(),
      restoreTests: { store: this.runtime.restoreTests, deployment: this.runtime.config.deploymentName },
      ...overrides,
    };
  }

  /** The ticks' export context: the local S3 and the deployed export settings with the test's, when S3 runs. */
  private exportContext(): { exports?: ExportContext } {
    const context = this.stack.s3 ? exportContextOf(this.runtime) : undefined;
    if (!context) return {};
    return { exports: { ...context, settings: { ...context.settings, ...this.options.exportSettings } } };
  }

  /** What reconcile needs to start due restore tests, on the fake clock. */
  restoreTestStartDeps(): DueRestoreTestDeps {
    return {
      restoreTests: this.runtime.restoreTests,
      targets: this.runtime.targets.table,
      policies: this.runtime.policies,
      clock: () => this.time.current,
      deployment: this.runtime.config.deploymentName,
    };
  }

  /**
   * Policy sync on the fake clock; export buckets are checked against the local S3 when it runs, in a member
   * account's policy on its role's credentials (`objectsIn`), as deployed (lib/runtime.ts).
   */
  syncDeps(): SyncDeps {
    const { region } = this.runtime.config;
    const { objects, objectsIn } = this.runtime;
    const checks = this.stack.s3 && region ? { exportChecks: { objects, objectsIn, region } } : {};
    return {
      policies: this.runtime.policies,
      targets: this.runtime.targets,
      placements: this.runtime.placements,
      clock: () => this.time.current,
      ...checks,
    };
  }

  /** Reconcile's dependencies on the fake clock. */
  reconcileDeps(): ReconcileDeps {
    const { concurrency, runRetentionDays } = this.runtime.config;
    const { policies, runs, targets, placements } = this.runtime;
    return {
      policies,
      runs,
      targets,
      placements,
      clock: () => this.time.current,
      settings: { concurrency, runRetentionDays },
    };
  }

  /** Writes a policy record as an operator would, then syncs it (the local stack has no streams). */
  async putPolicy(item: PolicyItem): Promise<SyncOutcome> {
    const before = await this.runtime.policies.get(item.policyId);
    await this.runtime.policies.put(item);
    const stored = await this.runtime.policies.get(item.policyId);
    if (!stored) throw new Error(`policy ${item.policyId} vanished right after it was written`);
    return syncPolicyItem(this.syncDeps(), stored, false, undefined, before?.targets !== undefined);
  }

  /** One scheduler tick at `at` (default: now); the clock is set to `at` first. */
  async tick(at: Date = this.time.current, overrides: Partial<SchedulerDeps> = {}): Promise<TickSummary> {
    this.time.current = at;
    return runTick(this.schedulerDeps(overrides), { at, tickId: randomUUID() });
  }

  /** Ticks every `stepMs` from `from` to `to` (both included), calling `each` after every tick. */
  async tickThrough(
    from: Date,
    to: Date,
    stepMs: number,
    each?: (summary: TickSummary) => void,
  ): Promise<void> {
    for (let at = from; at <= to; at = addMs(at, stepMs)) {
      const summary = await this.tick(at);
      each?.(summary);
    }
  }

  /** Every run record of every policy, oldest slot first per policy. */
  async allRuns(): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for await (const policy of this.runtime.policies.listAll()) {
      for await (const run of this.runtime.runs.listByPolicy(policy.policyId)) runs.push(run);
    }
    return runs;
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }
}
