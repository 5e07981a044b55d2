import { ConditionalWriteError } from '#lib/errors';
import { logger } from '#lib/observability';
import type { TargetStore } from '#lib/targets/target-store';
import type { DueTarget, TargetSummaries } from '#lib/targets/types';

/**
 * A due target's move to its next slot, held back until the slot's first outcome is written so that one
 * UpdateItem both advances `nextRunAt` and records that outcome as `lastRun` (the fleet model's write
 * budget: claim, Create, outcome, one write of the target's state). `target.nextRunAt` is the slot moved from.
 */
export interface PendingAdvance {
  readonly target: DueTarget;
  /** The next slot (UTC ISO). */
  readonly to: string;
  /** The slot taken (the claimed run's): the summaries of its run go into the advance. */
  readonly slot: string;
}

/**
 * A TargetStore that keeps the summaries of `pending`'s run (same target, `lastRun` of its slot) instead of
 * writing them, for advanceTarget to write with the advance; every other write goes through. `taken()` is
 * what it kept.
 */
export function holdingSummaries(
  targets: TargetStore,
  pending: PendingAdvance,
): { targets: TargetStore; taken: () => TargetSummaries } {
  let held: TargetSummaries = {};
  const { policyId, cacheName } = pending.target;
  return {
    taken: () => held,
    targets: {
      ...targets,
      async recordSummaries(key, summaries) {
        const ours =
          key.policyId === policyId &&
          key.cacheName === cacheName &&
          summaries.lastRun?.slot === pending.slot;
        if (!ours) return targets.recordSummaries(key, summaries);
        held = { ...held, ...summaries };
      },
    },
  };
}

/**
 * Advances the target and records `summaries` in one conditional UpdateItem. When that is refused (another
 * tick or an edit moved `nextRunAt` first, or a newer slot's summary is stored), the advance is tried alone
 * and the summaries recorded on their own, each with its own condition, so neither is lost to the other.
 * Never throws: a failure is logged, and the next tick finds the target still due, its slot already claimed,
 * and advances it then.
 */
export async function advanceTarget(
  deps: { readonly targets: TargetStore },
  pending: PendingAdvance,
  summaries: TargetSummaries,
): Promise<void> {
  const { target, to } = pending;
  const key = { policyId: target.policyId, cacheName: target.cacheName };
  try {
    if (await tryAdvance(deps.targets, pending, summaries)) return;
    if (summaries.lastRun === undefined && summaries.newestSnapshot === undefined) return;
    await tryAdvance(deps.targets, pending, {});
    await deps.targets.recordSummaries(key, summaries);
  } catch (error) {
    logger.error('could not advance the target; the next tick finds its slot taken and advances it', {
      ...key,
      from: target.nextRunAt,
      to,
      error,
    });
  }
}

/** The advance; false when its condition refused it. */
async function tryAdvance(targets: TargetStore, pending: PendingAdvance, summaries: TargetSummaries) {
  try {
    await targets.advance(pending.target, pending.to, summaries);
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalWriteError)) throw error;
    const { policyId, cacheName } = pending.target;
    logger.debug('advance refused: nextRunAt moved by another tick or an edit, or a newer summary is there', {
      policyId,
      cacheName,
    });
    return false;
  }
}
