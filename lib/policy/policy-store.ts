import type {
  LastRunSummary,
  NewestSnapshotSummary,
  PolicyItem,
  PolicyState,
  RestoreTestSummary,
  SlotSummaries,
} from './types';

/** What policy sync writes back on a policy item. */
export interface SyncResult {
  readonly state: PolicyState;
  readonly stateReason: string | undefined;
  /** The next slot to take (UTC ISO); absent unless ACTIVE. Only ACTIVE items are in the due index. */
  readonly nextRunAt: string | undefined;
  /** When the policy became ACTIVE (kept from the item while it stays ACTIVE); absent unless ACTIVE. */
  readonly activatedAt: string | undefined;
  /** Hash of the operator attributes this result was computed from (loop guard for the stream). */
  readonly specHash: string;
  readonly syncedAt: string;
}

/**
 * Storage of policy items. Implementations: DynamoDB (lib/adapters/dynamodb) and in memory
 * (lib/adapters/memory) for fast domain tests.
 */
export interface PolicyStore {
  get(policyId: string): Promise<PolicyItem | undefined>;
  /**
   * The items of `policyIds` as stored now (strongly consistent reads, batched: BatchGetItem, 100 keys a
   * request), by id; a policy that does not exist is absent. How a tick reads its due policies afresh, the
   * due index being eventually consistent.
   */
  getMany(policyIds: readonly string[]): Promise<Map<string, PolicyItem>>;
  /** Every item (for reconcile and listings; never used by a tick). Paginated internally. */
  listAll(): AsyncIterable<PolicyItem>;
  /** ACTIVE items whose `nextRunAt <= at`, through the due index (never a scan), paginated. */
  listDue(at: string): AsyncIterable<PolicyItem>;
  /** Writes an operator record as given (replacing the item). */
  put(item: PolicyItem): Promise<void>;
  delete(policyId: string): Promise<void>;
  /**
   * Writes the sync result, only if the operator attributes still equal those of `basis` (the version the
   * result was computed from). Throws ConditionalWriteError when the item changed or is gone.
   */
  writeSyncResult(basis: PolicyItem, result: SyncResult): Promise<void>;
  /**
   * Moves `nextRunAt` from `from` to `to`, only if it still equals `from`, and records `summaries` in the
   * same UpdateItem, only if no newer slot's summary is stored. Throws ConditionalWriteError when another
   * tick moved it first or a newer summary is there (nothing written). There is no way to remove it here: an ACTIVE policy always has a next run
   * (one whose schedule ends is marked DISABLED by policy sync).
   */
  advanceNextRun(
    policyId: string,
    from: string,
    to: string,
    summaries?: Partial<SlotSummaries>,
  ): Promise<void>;
  /**
   * Records `summaries` in one write, only on the item of a `cacheName` policy of `cacheName` (the home of
   * that target's state) and only where no newer slot's summary is stored. False when nothing was written:
   * not that policy's cache (a `targets` policy, or gone), or a newer summary is there.
   */
  recordTargetSummaries(
    policyId: string,
    cacheName: string,
    summaries: Partial<SlotSummaries>,
  ): Promise<boolean>;
  /** Records the latest run outcome on the item (unconditional, last writer wins by slot order). */
  recordLastRun(policyId: string, summary: LastRunSummary): Promise<void>;
  /** Records the policy's newest available snapshot, with the same rules as recordLastRun. */
  recordNewestSnapshot(policyId: string, summary: NewestSnapshotSummary): Promise<void>;
  /**
   * Replaces the newest-snapshot summary with `next`, which may be older, or removes it (`next` undefined),
   * only if the stored one is still of slot `expectedSlot` (absent when undefined): how it moves back once
   * its snapshot is found deleted. Throws ConditionalWriteError when it changed meanwhile or the policy is gone.
   */
  replaceNewestSnapshot(
    policyId: string,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void>;
  /**
   * Records a restore test's status change as `lastRestoreTest`, and as `lastVerifiedRestoreTest` when
   * VERIFIED, with the same rules as recordLastRun (a policy of one cache: its target state is the item).
   */
  recordRestoreTest(policyId: string, summary: RestoreTestSummary): Promise<void>;
}
