import { addMs, MINUTE_MS } from '#lib/clock';
import type { RunRecord } from '#lib/runs/types';
import type { SchedulerDeps } from '#lib/scheduler/deps';
import type { TickSummary } from '#lib/scheduler/tick';
import type { Simulation } from '#local/simulation';

/** Far enough ahead that every open run is due by then. */
const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

/** Every run still open (CLAIMED, REQUESTED, RETRYING, PRUNING), due or not. */
export async function openRuns(sim: Simulation): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for await (const run of sim.runtime.runs.listOpen(FAR_FUTURE)) runs.push(run);
  return runs;
}

export interface DriveOptions {
  readonly from: Date;
  /** Tick at least until here (e.g. the last slot plus its start window). */
  readonly until: Date;
  /** Then go on while runs are open, at most until here. */
  readonly settleBy: Date;
  readonly stepMs?: number;
  /** Overrides for every tick's dependencies (e.g. stores behind a fault-injecting proxy). */
  readonly overrides?: () => Partial<SchedulerDeps>;
  /** Called before each tick (e.g. to script faults). */
  readonly before?: (at: Date) => void;
  /** Called after each tick (e.g. to edit policies or run a reconcile). */
  readonly after?: (at: Date) => Promise<void> | void;
  /** Identical ticks started at once at each instant (EventBridge delivers at least once); default 1. */
  readonly ticksAtOnce?: number;
  /** When set, a tick that throws is counted here instead of failing the drive. */
  readonly onTickError?: (error: unknown, at: Date) => void;
}

export interface DriveResult {
  readonly ticks: number;
  readonly last: Date;
  readonly summaries: readonly TickSummary[];
}

/**
 * Ticks the simulation every minute (or `stepMs`) from `from` through `until`, then on until no run is
 * open or `settleBy` is reached.
 */
export async function driveTicks(sim: Simulation, options: DriveOptions): Promise<DriveResult> {
  const step = options.stepMs ?? MINUTE_MS;
  const summaries: TickSummary[] = [];
  let at = options.from;
  let ticks = 0;
  for (; at <= options.settleBy; at = addMs(at, step)) {
    if (at > options.until && ticks % 10 === 0 && (await openRuns(sim)).length === 0) break;
    options.before?.(at);
    const tick = async () => {
      try {
        summaries.push(await sim.tick(at, options.overrides?.()));
      } catch (error) {
        if (!options.onTickError) throw error;
        options.onTickError(error, at);
      }
    };
    await Promise.all(Array.from({ length: options.ticksAtOnce ?? 1 }, tick));
    await options.after?.(at);
    ticks += 1;
  }
  return { ticks, last: at, summaries };
}
