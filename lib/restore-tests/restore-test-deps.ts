import type { PlacementClients } from '#lib/placements/placement-clients';
import type { Backoff } from '#lib/retry/retry';
import type { RunStore } from '#lib/runs/run-store';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import type { RestoreTestStore } from './restore-test-store';
import type { SaveRestoreTestDeps } from './save-restore-test';

/** The tunables restore tests read (the scheduler's settings have them all). */
export interface RestoreTestSettings {
  /** How often a restoring scratch cache is looked at (a tick's period). */
  readonly pollIntervalMs: number;
  /** How long a Create in progress is left to its tick before another looks for the cache. */
  readonly leaseMs: number;
  /** Delay before another try of a refused Create or delete. */
  readonly durableBackoff: Backoff;
  /** Days a finished record is kept (TTL). */
  readonly runRetentionDays: number;
  readonly concurrency: number;
  readonly deadlineMarginMs: number;
}

/**
 * What following restore tests touches: their records, the targets' runs (the snapshot), and ElastiCache in
 * each test's account and region (`placements.snapshots(placementOf(record))`: the member role's gateway in
 * another account, so the scratch cache is created, followed and deleted beside the target's cache).
 */
export interface RestoreTestDeps extends SaveRestoreTestDeps {
  readonly restoreTests: RestoreTestStore;
  readonly runs: Pick<RunStore, 'listByPolicy'>;
  readonly placements: Pick<PlacementClients, 'snapshots'>;
  /** The deployment's name: scratch cache names and the tag that makes a cache ours to delete. */
  readonly deployment: string;
  readonly random: () => number;
  readonly remainingMs: () => number;
  readonly settings: RestoreTestSettings;
}

/** What one step of one restore test touches: ElastiCache being the gateway of the test's account and region. */
export type RestoreTestStepDeps = Omit<RestoreTestDeps, 'placements'> & {
  readonly snapshots: SnapshotGateway;
};
