import type { RunKey, RunRecord, RunStatus } from './types';

export interface RunQuery {
  /** Only runs whose slot is at or after this instant (UTC ISO). */
  readonly since?: string;
  readonly statuses?: readonly RunStatus[];
  /** Only the runs of this cache (one target's runs: one key-range query). */
  readonly cacheName?: string;
}

/**
 * Storage of run records: every state change is a single-item conditional write (no transactions).
 * Implementations: DynamoDB (lib/adapters/dynamodb) and in memory (lib/adapters/memory).
 */
export interface RunStore {
  get(key: RunKey): Promise<RunRecord | undefined>;
  /**
   * Creates the run only if no record exists for its key (policy, cache, slot, kind). Returns the existing record instead when
   * one does (the claim lost), undefined when this write created it.
   */
  create(run: RunRecord): Promise<RunRecord | undefined>;
  /**
   * Replaces the run with `next`, only if the stored record still has `expected.status` (and, when given,
   * `expected.leaseOwner`). Throws ConditionalWriteError otherwise.
   */
  transition(next: RunRecord, expected: { status: RunStatus; leaseOwner?: string }): Promise<void>;
  /** Open runs (CLAIMED, REQUESTED, RETRYING, PRUNING) with `nextCheckAt <= at`, through the open index. */
  listOpen(at: string): AsyncIterable<RunRecord>;
  /**
   * A policy's runs, optionally filtered, in key order: by cache, then slot (oldest first), then kind
   * (a SCHEDULED run before another kind's run of the same slot).
   */
  listByPolicy(policyId: string, query?: RunQuery): AsyncIterable<RunRecord>;
}
