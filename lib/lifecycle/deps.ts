import type { PlacementClients } from '#lib/placements/placement-clients';
import type { Backoff } from '#lib/retry/retry';
import type { RunStore } from '#lib/runs/run-store';
import type { SaveRunDeps } from '#lib/runs/save-run';

/** The tunables the snapshot lifecycle (completion, retention, durable retries) reads. */
export interface LifecycleSettings {
  /** The deployment (stack) name: what marks a snapshot as this deployment's (lib/snapshots/ownership.ts). */
  readonly deploymentName: string;
  readonly concurrency: number;
  readonly deadlineMarginMs: number;
  readonly runRetentionDays: number;
  /** How often a REQUESTED run is checked for completion; also the shortest durable retry delay. */
  readonly pollIntervalMs: number;
  /** A snapshot not `available` this long after its request is recorded FAILED. */
  readonly completionTimeoutMs: number;
  /** Delay before a durable retry (busy cache, quota, transient faults that outlasted the tick, deletion). */
  readonly durableBackoff: Backoff;
}

/**
 * What completion and retention touch. The scheduler's dependencies (lib/scheduler/deps.ts) extend it, so
 * a tick passes its own; this folder never imports the scheduler.
 */
export interface LifecycleDeps extends SaveRunDeps {
  readonly runs: RunStore;
  /**
   * The ElastiCache gateway (and own placement) of each (account, region): a run's calls go to
   * `placements.snapshots(placementOf(run))`, a policy's to `placements.snapshots(placementOf(policy))`.
   */
  readonly placements: Pick<PlacementClients, 'home' | 'snapshots'>;
  readonly random: () => number;
  /** Milliseconds left in the invocation (Lambda's getRemainingTimeInMillis). */
  readonly remainingMs: () => number;
  readonly settings: LifecycleSettings;
}

/** Whether new work may still start: more time left in the invocation than the deadline margin. */
export function hasTimeLeft(deps: Pick<LifecycleDeps, 'remainingMs' | 'settings'>): boolean {
  return deps.remainingMs() > deps.settings.deadlineMarginMs;
}
