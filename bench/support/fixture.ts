import { randomUUID } from 'node:crypto';
import { createItemClient, type ItemClient } from '#lib/adapters/dynamodb/item-client';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { MINUTE_MS, toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { DEFAULTS, loadConfig } from '#lib/config';
import { parsePolicy } from '#lib/policy/parse-policy';
import { policyForTarget } from '#lib/policy/policy-for-target';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { RunStore } from '#lib/runs/run-store';
import { createRuntime, type Runtime, schedulerDeps } from '#lib/runtime';
import { claimSlot } from '#lib/scheduler/claim';
import type { SchedulerDeps, WorkItem } from '#lib/scheduler/deps';
import { targetStoreOf } from '#lib/targets/target-store';
import { syncedPolicy, writePolicies } from './policies';
import { type RemoteStack, startRemoteStack } from './remote-stack';

/** The orchestrator as the scheduler function builds it, pointed at a local stack in another process. */
export interface Fixture {
  readonly stack: RemoteStack;
  readonly runtime: Runtime;
  /** A DynamoDB client of its own, for seeding. */
  readonly documents: ItemClient;
  /**
   * The tick's time: the minute the fixture started, the slot of a daily schedule at that minute, so the slot
   * is never ahead of the tick's clock (a tick takes no slot later than its clock) and stays inside the
   * 60-minute start window however long the setup and the tick take.
   */
  readonly at: Date;
  readonly policies: PolicyStore;
  readonly runs: RunStore;
  /** Scheduler dependencies on the fixture's stores and the real clock, with a deadline far away. */
  deps(overrides?: Partial<SchedulerDeps>): SchedulerDeps;
  /** Seeds `count` caches and one daily policy on each, due at `at`. */
  seedDue(count: number): Promise<void>;
  /**
   * Claims the slot at `at` of the `count` policies seedDue wrote, as takeDueSlots would, but without
   * validating each record again (the figures that use this time what comes after the claim).
   */
  claimDue(count: number): Promise<WorkItem[]>;
  stop(): Promise<void>;
}

export interface FixtureOptions {
  /** SCHEDULER_CONCURRENCY; default the configured default. */
  readonly concurrency?: number;
  /** `dynamodb` (dynalite in the stack process, default) or `memory` (the in-memory stores). */
  readonly stores?: 'dynamodb' | 'memory';
}

/** A daily schedule whose slot is `at` (UTC). */
export function dailyAt(at: Date): string {
  return `cron(${at.getUTCMinutes()} ${at.getUTCHours()} * * ? *)`;
}

/** seedDue's caches are named this followed by 0, 1, 2, … */
export const DUE_CACHE_PREFIX = 'bench-cache-';
const dueId = (i: number) => `bench-due-${i}`;
const cacheOf = (i: number) => `${DUE_CACHE_PREFIX}${i}`;

/** Starts a stack process and builds the runtime on it, as the scheduler function does. */
export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const stack = await startRemoteStack();
  Object.assign(process.env, stack.env);
  const runtime = createRuntime(loadConfig({ ...process.env, SCHEDULER_CONCURRENCY: String(concurrency) }));
  const documents = createItemClient();
  const at = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS);
  const schedule = dailyAt(at);
  const inMemory = options.stores === 'memory';
  const policies = inMemory ? new InMemoryPolicyStore() : runtime.policies;
  const runs = inMemory ? new InMemoryRunStore() : runtime.runs;
  // The tick lists due work through the target store, so in memory it reads the in-memory policies too.
  const targets = inMemory ? targetStoreOf(policies, new InMemoryTargetTable()) : runtime.targets;
  const deps = (overrides: Partial<SchedulerDeps> = {}): SchedulerDeps => ({
    ...schedulerDeps(runtime, () => 15 * 60_000),
    policies,
    runs,
    targets,
    ...overrides,
  });
  return {
    stack,
    runtime,
    documents,
    at,
    policies,
    runs,
    deps,
    async seedDue(count) {
      const caches = Array.from({ length: count }, (_, i) => cacheOf(i));
      await stack.seedCaches(caches);
      const items = caches.map((cacheName, i) =>
        syncedPolicy({ policyId: dueId(i), cacheName, schedule }, toIso(at), toIso(at)),
      );
      if (!inMemory) await writePolicies(documents, runtime.config.policiesTable, items);
      else for (const item of items) await policies.put(item);
    },
    async claimDue(count) {
      const template = policyForTarget(
        parsePolicy({ policyId: 'bench', cacheName: 'bench', schedule }),
        'bench',
      );
      const owner = `${tickId()}/bench`;
      const items: WorkItem[] = [];
      await runBounded(
        Array.from({ length: count }, (_, i) => i),
        16,
        async (i) => {
          const policy = { ...template, policyId: dueId(i), cacheName: cacheOf(i), namePrefix: cacheOf(i) };
          const run = await claimSlot(deps(), policy, at, owner);
          if (run) items.push({ run, policy });
        },
      );
      return items;
    },
    stop: () => stack.stop(),
  };
}

/** A fresh tick id, as EventBridge gives each event. */
export function tickId(): string {
  return randomUUID();
}
