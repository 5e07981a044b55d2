import type { Clock, Sleep } from '#lib/clock';
import { MINUTE_MS } from '#lib/clock';
import type { Config } from '#lib/config';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { Backoff } from '#lib/retry/retry';
import type { RunStore } from '#lib/runs/run-store';
import type { RunRecord } from '#lib/runs/types';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';

/** Tunables of a tick; `settingsFrom(config)` gives the deployed values, tests build their own. */
export interface SchedulerSettings {
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly deadlineMarginMs: number;
  readonly runRetentionDays: number;
  /** How often a REQUESTED run is checked for completion. */
  readonly pollIntervalMs: number;
  /** A snapshot not `available` this long after its request is recorded FAILED. */
  readonly completionTimeoutMs: number;
  /** At most this many MISSED records are written for the slots skipped after an outage. */
  readonly maxMissedRecords: number;
  /** Calls of CreateServerlessCacheSnapshot in one invocation for transient faults (SDK retries come first). */
  readonly createAttemptsPerTick: number;
  readonly inTickBackoff: Backoff;
  /** Delay before a durable retry (busy cache, quota, transient faults that outlasted the tick). */
  readonly durableBackoff: Backoff;
}

export function settingsFrom(config: Config): SchedulerSettings {
  return {
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

/** Everything a tick touches, injected: stores, the ElastiCache gateway, time and randomness. */
export interface SchedulerDeps {
  readonly policies: PolicyStore;
  readonly runs: RunStore;
  readonly snapshots: SnapshotGateway;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Milliseconds left in the invocation (Lambda's getRemainingTimeInMillis). */
  readonly remainingMs: () => number;
  readonly settings: SchedulerSettings;
  /** Told of every run record written (after the write), e.g. to count a tick's outcomes. */
  readonly observe?: (run: RunRecord) => void;
}

/** Whether new work may still start: more time left in the invocation than the deadline margin. */
export function hasTimeLeft(deps: Pick<SchedulerDeps, 'remainingMs' | 'settings'>): boolean {
  return deps.remainingMs() > deps.settings.deadlineMarginMs;
}
