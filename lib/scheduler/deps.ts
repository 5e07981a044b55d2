import type { Sleep } from '#lib/clock';
import { MINUTE_MS } from '#lib/clock';
import type { Config } from '#lib/config';
import type { ExportContext } from '#lib/exports/deps';
import type { LifecycleDeps, LifecycleSettings } from '#lib/lifecycle/deps';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { Policy } from '#lib/policy/types';
import type { RestoreTestStore } from '#lib/restore-tests/restore-test-store';
import type { Backoff } from '#lib/retry/retry';
import type { RunRecord } from '#lib/runs/types';
import type { TargetStore } from '#lib/targets/target-store';
import type { PendingAdvance } from './advance-target';

/** Tunables of a tick; `settingsFrom(config)` gives the deployed values, tests build their own. */
export interface SchedulerSettings extends LifecycleSettings {
  readonly leaseMs: number;
  /** At most this many MISSED records are written for the slots skipped after an outage. */
  readonly maxMissedRecords: number;
  /** Calls of CreateServerlessCacheSnapshot in one invocation for transient faults (SDK retries come first). */
  readonly createAttemptsPerTick: number;
  readonly inTickBackoff: Backoff;
}

export function settingsFrom(config: Config): SchedulerSettings {
  return {
    deploymentName: config.deploymentName,
    concurrency: config.concurrency,
    leaseMs: config.leaseMs,
    deadlineMarginMs: config.deadlineMarginMs,
    runRetentionDays: config.runRetentionDays,
    pollIntervalMs: MINUTE_MS,
    completionTimeoutMs: 6 * 60 * MINUTE_MS,
    maxMissedRecords: 24,
    createAttemptsPerTick: 3,
    inTickBackoff: { baseMs: 250, maxMs: 4_000 },
    durableBackoff: { baseMs: 2 * MINUTE_MS, maxMs: 15 * MINUTE_MS },
  };
}

/**
 * Everything a tick touches, injected: stores, the ElastiCache gateway, time and randomness. It is also
 * what completion, retention (LifecycleDeps) and policy sync (SyncDeps) need, so a tick hands itself to them.
 */
export interface SchedulerDeps extends LifecycleDeps {
  readonly policies: PolicyStore;
  /** Every target's schedule state (both homes): what the tick lists as due and advances. */
  readonly targets: TargetStore;
  readonly sleep: Sleep;
  readonly settings: SchedulerSettings;
  /** S3 and the export settings (lib/exports); absent: no export is started or followed. */
  readonly exports?: ExportContext;
  /**
   * Restore tests in flight, followed by every tick (docs/architecture.md, "Restore tests"), and the
   * deployment whose scratch caches they are; without them a tick follows none.
   */
  readonly restoreTests?: { readonly store: RestoreTestStore; readonly deployment: string };
}

/** A claimed run and its policy: what one Create attempt needs. */
export interface WorkItem {
  readonly run: RunRecord;
  readonly policy: Policy;
  /**
   * For a slot the tick has just claimed: its target's move to the next slot, written with the run's first
   * outcome as `lastRun` once dispatch has written it (lib/scheduler/advance-target.ts).
   */
  readonly advance?: PendingAdvance;
}
