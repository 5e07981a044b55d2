import type { NewestSnapshotSummary } from '#lib/policy/types';
import type { DueTarget, Enrolment, TargetKey, TargetRecord, TargetSummaries } from './types';

/**
 * The targets table: one item per target of a `targets` policy (docs/architecture.md, "Targets"),
 * HASH `policyId`, RANGE `cacheName`, a sparse `due-index` over ACTIVE targets. Implementations: DynamoDB
 * (lib/adapters/dynamodb) and in memory (lib/adapters/memory), held to one contract. The domain uses it
 * through TargetStore, which adds the `cacheName` policies' state on the policy items.
 */
export interface TargetTable {
  /** The target as stored now (strongly consistent), or undefined. */
  get(key: TargetKey): Promise<TargetRecord | undefined>;
  /** Every target of `policyId`, ACTIVE and RETIRED, by cache name (strongly consistent, paginated). */
  listByPolicy(policyId: string): AsyncIterable<TargetRecord>;
  /** ACTIVE targets whose `nextRunAt <= at`, through the due index (never a scan), paginated. */
  listDue(at: string): AsyncIterable<DueTarget>;
  /**
   * Enrols the cache: a new ACTIVE target, or a RETIRED one made ACTIVE again (its summaries kept). One
   * conditional write; false (nothing written) when it is already ACTIVE.
   */
  enrol(enrolment: Enrolment): Promise<boolean>;
  /**
   * Retires an ACTIVE target: state RETIRED, out of the due index, `retiredAt` and `retiredReason` set,
   * summaries kept. False (nothing written) when it is not ACTIVE (already retired, or never enrolled).
   */
  retire(key: TargetKey, retiredAt: string, retiredReason: string): Promise<boolean>;
  /**
   * Moves `nextRunAt` from `from` to `to` and records `summaries`, in one conditional write: only while the
   * target is ACTIVE with `nextRunAt = from` and no newer slot's summary is stored. Throws
   * ConditionalWriteError otherwise (nothing written).
   */
  advance(key: TargetKey, from: string, to: string, summaries: TargetSummaries): Promise<void>;
  /**
   * Records the summaries in one write, each only if no newer slot's is stored, on an existing target.
   * False when nothing was written (no such target, or a newer slot's summary is there).
   */
  recordSummaries(key: TargetKey, summaries: TargetSummaries): Promise<boolean>;
  /**
   * Replaces `newestSnapshot` with `next` (older, or undefined: removed) only if the stored one is still of
   * `expectedSlot` (absent when undefined); how it moves back once its snapshot is found deleted (GONE).
   * Throws ConditionalWriteError when it changed meanwhile or the target is gone.
   */
  replaceNewestSnapshot(
    key: TargetKey,
    expectedSlot: string | undefined,
    next: NewestSnapshotSummary | undefined,
  ): Promise<void>;
}
