import { toIso } from '#lib/clock';
import { logger } from '#lib/observability';
import type { TargetTable } from '#lib/targets/target-table';
import type { TargetKey, TargetRecord } from '#lib/targets/types';

/** The writes one enrolment made or tried (a failed write may still have landed). */
export interface Writes {
  count: number;
}

/** One target's write, counted in `writes` when given; a failure is logged and not thrown (the others go on). */
export async function attempt(
  policyId: string,
  cacheName: string,
  action: string,
  writes: Writes | undefined,
  write: () => Promise<void>,
) {
  if (writes) writes.count += 1;
  try {
    await write();
  } catch (error) {
    logger.error(`could not ${action} the target; the next sync or reconcile tries again`, {
      policyId,
      cacheName,
      error,
    });
  }
}

/**
 * Keeps an ACTIVE target's pending `nextRunAt` a slot of the policy's schedule as it is now (an edited
 * schedule moves it to its first slot at or after now; a slot already due is kept, for the tick to take), as
 * policy sync does for a `cacheName` policy: the tick relies on it being one.
 */
export async function retime(
  table: TargetTable,
  target: TargetRecord,
  first: Date | undefined,
  now: Date,
  writes: Writes,
) {
  const pending = target.nextRunAt;
  if (target.state !== 'ACTIVE' || pending === undefined || first === undefined) return;
  if (pending <= toIso(now) || pending === toIso(first)) return;
  await attempt(target.policyId, target.cacheName, 'move to the edited schedule', writes, async () => {
    await table.advance(target, pending, toIso(first), {});
  });
}

/** Retires `target` (logged), adding its cache to `retired` when this call retired it. */
export async function retireOne(
  table: TargetTable,
  target: TargetKey,
  now: Date,
  reason: string,
  retired: string[],
  writes?: Writes,
) {
  await attempt(target.policyId, target.cacheName, 'retire', writes, async () => {
    if (!(await table.retire(target, toIso(now), reason))) return;
    retired.push(target.cacheName);
    const { policyId, cacheName } = target;
    logger.info('target retired', { outcome: 'TargetRetired', policyId, cacheName, retiredReason: reason });
  });
}
