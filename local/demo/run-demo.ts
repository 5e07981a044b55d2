import { addMs, DAY_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import type { RunStatus } from '#lib/runs/types';
import { Simulation } from '#local/simulation';
import { DEMO_EXTERNAL_ID, seedAccounts } from './accounts';
import { addDemoExports } from './exports';
import { FLEET_EVENTS, reconcileIfDue, seedFleet } from './fleet';
import { ON_DEMAND_DEMO, takeDemoSnapshot } from './on-demand';
import { buildReport, type PolicyReport } from './report';
import { restoreTestsBeforeTick } from './restore-tests';
import {
  DEMO_CACHES,
  DEMO_DAYS,
  DEMO_EVENTS,
  DEMO_START,
  DEMO_TICK_MS,
  PERSON_SNAPSHOT,
  SCHEDULER_OUTAGE,
  schedulerRunsAt,
} from './scenario';
import { EXAMPLES_DIR, seedExamples } from './seed';

/** What a demo run may change; the defaults are what `npm start` does. */
export interface DemoOptions {
  /** Simulated days (default DEMO_DAYS). */
  readonly days?: number;
  readonly tickMs?: number;
  /** Where progress lines go (default: nowhere). */
  readonly log?: (line: string) => void;
}

/** The finished demo: the report, and the simulation still running so callers can look further (then stop it). */
export interface DemoResult {
  readonly simulation: Simulation;
  readonly report: PolicyReport[];
}

const DAY_LINE_STATUSES: readonly RunStatus[] = [
  'REQUESTED',
  'AVAILABLE',
  'RETRYING',
  'FAILED',
  'PRUNED',
  'MISSED',
];

function dayLabel(day: Date): string {
  return day.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    timeZone: 'UTC',
  });
}

/**
 * The whole orchestrator on the local stack over a simulated week: seeds the caches and examples/, then ticks
 * every `tickMs` through the scenario's faults and outage, logging one line per simulated day (the run
 * records written that day, by status), and builds the report from the policy items and run records.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? (() => {});
  const simulation = await Simulation.start({
    start: DEMO_START,
    seed: 7,
    emulator: { seed: 3 },
    s3: true,
    memberExternalId: DEMO_EXTERNAL_ID,
  });
  try {
    const { emulator } = simulation.stack;
    for (const cache of DEMO_CACHES) emulator.seedCache(cache);
    emulator.seedSnapshot({ ...PERSON_SNAPSHOT, createTime: addMs(DEMO_START, -DAY_MS) });
    log(`seeding ${DEMO_CACHES.length} caches and the policies in examples/ at ${DEMO_START.toISOString()}`);
    log(`  and the ${seedAccounts(simulation)}`);
    await seedExamples(simulation.syncDeps(), EXAMPLES_DIR, log);
    await seedFleet(simulation, log);
    await addDemoExports(simulation, log);
    const days = options.days ?? DEMO_DAYS;
    const tickMs = options.tickMs ?? DEMO_TICK_MS;
    log(`simulating ${days} days, a scheduler tick every ${tickMs / 60_000} simulated minutes:`);
    await simulateDays(simulation, days, tickMs, log);
    const items: PolicyItem[] = [];
    for await (const item of simulation.runtime.policies.listAll()) items.push(item);
    return { simulation, report: buildReport(items, await simulation.allRuns()) };
  } catch (error) {
    await simulation.stop();
    throw error;
  }
}

async function simulateDays(
  simulation: Simulation,
  days: number,
  tickMs: number,
  log: (line: string) => void,
) {
  const events = [...DEMO_EVENTS, ...FLEET_EVENTS].sort((a, b) => a.at.getTime() - b.at.getTime());
  const end = addMs(DEMO_START, days * DAY_MS);
  let written: Partial<Record<RunStatus, number>> = {};
  for (let at = DEMO_START; at < end; at = addMs(at, tickMs)) {
    while (events[0] && events[0].at <= at) {
      const event = events.shift();
      event?.apply(simulation.stack.emulator);
      log(`  ${at.toISOString().slice(11, 16)}Z  ${event?.says}`);
    }
    if (at.getTime() === SCHEDULER_OUTAGE.from.getTime())
      log(`  ${at.toISOString().slice(11, 16)}Z  ${SCHEDULER_OUTAGE.says}`);
    await reconcileIfDue(simulation, at, log);
    if (at.getTime() === ON_DEMAND_DEMO.at.getTime()) await takeDemoSnapshot(simulation, log);
    for (const line of await restoreTestsBeforeTick(simulation, at, tickMs)) {
      log(`  ${at.toISOString().slice(11, 16)}Z  ${line}`);
    }
    if (schedulerRunsAt(at)) {
      const summary = await simulation.tick(at);
      for (const [status, count] of Object.entries(summary.outcomes)) {
        written[status as RunStatus] = (written[status as RunStatus] ?? 0) + count;
      }
    }
    const next = addMs(at, tickMs);
    if (Math.floor(next.getTime() / DAY_MS) !== Math.floor(at.getTime() / DAY_MS) || next >= end) {
      const counts = DAY_LINE_STATUSES.map((status) => `${status.toLowerCase()} ${written[status] ?? 0}`);
      log(`${dayLabel(at)}  run records written: ${counts.join(', ')}`);
      written = {};
    }
  }
}
