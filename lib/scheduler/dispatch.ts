import { groupBy } from '#lib/collections';
import { runBounded } from '#lib/concurrency';
import { hasTimeLeft } from '#lib/lifecycle/deps';
import { logger } from '#lib/observability';
import { cacheKey, placementOf, refKey } from '#lib/placements/placement';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { runFields } from '#lib/runs/report-outcome';
import { saveRun } from '#lib/runs/save-run';
import { retrying } from '#lib/runs/transitions';
import { advanceTarget, holdingSummaries } from './advance-target';
import { createSnapshotForRun } from './create-snapshot';
import type { SchedulerDeps, WorkItem } from './deps';
import { settleFault } from './settle-fault';

/** The cache of a run: its name within the run's account and region (a name is unique only there). */
function cacheOf(item: WorkItem): string {
  return cacheKey(placementOf(item.run), item.run.cacheName);
}

/** Each cache's runs, oldest slot first. */
function runsPerCache(items: readonly WorkItem[]): WorkItem[][] {
  const groups = groupBy(items, cacheOf);
  return [...groups.values()].map((group) => group.sort((a, b) => (a.run.slot < b.run.slot ? -1 : 1)));
}

/**
 * The cache groups of each placement. Placements are worked side by side, each with `concurrency` of its
 * own: with one bound for all, the workers take the groups in order and wait together on one placement's
 * adaptive limit while the others' limits go unused (the accounts benchmark row measured one account's
 * rate for three accounts).
 */
function groupsPerPlacement(items: readonly WorkItem[]): WorkItem[][][] {
  const groups = groupBy(runsPerCache(items), (group) => (group[0] ? refKey(placementOf(group[0].run)) : ''));
  return [...groups.values()];
}

/**
 * Works the claimed runs: each placement's caches in parallel (at most `concurrency` at once per account and
 * region, every placement at once), one cache's runs one after the other with at most one snapshot started
 * per cache (a cache takes one snapshot at a time). Runs of a
 * busy cache become durable retries without a call. Nothing new starts within the deadline margin: runs not
 * started are handed back as retries due at once, so the next tick takes them. When ElastiCache throttles,
 * the deployed gateway's adaptive limit (lib/adaptive-limit.ts, set up in lib/runtime.ts) paces the calls.
 */
export async function dispatch(
  deps: SchedulerDeps,
  items: readonly WorkItem[],
  /** Caches (cacheKey) making a snapshot now. */
  busyCaches: ReadonlySet<string>,
): Promise<void> {
  const timeLeft = () => hasTimeLeft(deps);
  const work = async (group: WorkItem[]) => {
    let busy = group[0] !== undefined && busyCaches.has(cacheOf(group[0]));
    for (const item of group) {
      await withAdvance(deps, item, async (itemDeps) => {
        try {
          if (!timeLeft()) await handBack(itemDeps, item);
          else if (busy) await deferBusy(itemDeps, item);
          else busy = (await createSnapshotForRun(itemDeps, item)).cacheBusy;
        } catch (error) {
          logger.error('run left claimed after an error; its lease will expire and a later tick takes it', {
            ...runFields(item.run),
            error,
          });
        }
      });
    }
  };
  const placements = groupsPerPlacement(items);
  const outcomes = await Promise.all(
    placements.map((groups) => runBounded(groups, deps.settings.concurrency, work, timeLeft)),
  );
  for (const item of outcomes.flatMap(({ notStarted }) => notStarted).flat()) {
    await withAdvance(deps, item, async (itemDeps) => {
      try {
        await handBack(itemDeps, item);
      } catch (error) {
        logger.error('could not hand the run back; its lease will expire', { ...runFields(item.run), error });
      }
    });
  }
}

/**
 * Works `item` and then, for a slot just claimed, moves its target on in one write with the run's outcome as
 * `lastRun` (whatever became of the run: the advance is never lost to a failed Create).
 */
async function withAdvance(
  deps: SchedulerDeps,
  item: WorkItem,
  work: (deps: SchedulerDeps) => Promise<void>,
): Promise<void> {
  if (!item.advance) return work(deps);
  const held = holdingSummaries(deps.targets, item.advance);
  await work({ ...deps, targets: held.targets });
  await advanceTarget(deps, item.advance, held.taken());
}

function deferBusy(deps: SchedulerDeps, item: WorkItem) {
  return settleFault(deps, item.run, item.run, {
    code: OUTCOME_CODE.CacheBusy,
    message: `another snapshot of cache ${item.run.cacheName} is in progress; one at a time per cache`,
    faultClass: 'busy',
  });
}

function handBack(deps: SchedulerDeps, item: WorkItem) {
  const now = deps.clock();
  const error = {
    code: OUTCOME_CODE.DeadlineReached,
    message: 'the tick ran out of time before this run started',
  };
  return saveRun(deps, retrying(item.run, error, now, now), item.run);
}
