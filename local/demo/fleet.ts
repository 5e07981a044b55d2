import { COVERAGE_HEADERS, coverageCells } from '#cli/commands/coverage';
import { formatTable } from '#cli/output';
import { HOUR_MS } from '#lib/clock';
import type { CoverageRow } from '#lib/fleet/coverage';
import { readPlacedCoverage } from '#lib/fleet/read-coverage';
import { reconcilePolicies } from '#lib/sync/reconcile';
import type { CacheSeed } from '#local/emulator/index';
import type { Simulation } from '#local/simulation';
import type { DemoEvent } from './scenario';

/** The fleet beside the example policies' caches: a tag-selected gold tier, and caches it leaves out. */
export const FLEET_CACHES: readonly CacheSeed[] = [
  { name: 'checkout', engine: 'valkey', tags: { tier: 'gold', team: 'payments' } },
  { name: 'inventory', engine: 'valkey', tags: { tier: 'gold', team: 'supply' } },
  { name: 'pricing', engine: 'redis', tags: { tier: 'gold', team: 'supply' } },
  { name: 'search-index', engine: 'valkey', tags: { tier: 'gold', team: 'search' } },
  { name: 'feature-flags', engine: 'valkey', tags: { tier: 'silver' } },
  { name: 'gold-sandbox', engine: 'valkey', tags: { tier: 'gold', 'snapshot-orchestrator-exclude': 'true' } },
  { name: 'scratch', engine: 'memcached' },
];

/** The gold tier: every cache tagged tier = gold, daily, three snapshots kept per cache (never fewer than 2). */
export const FLEET_POLICY = {
  policyId: 'gold-tier',
  schedule: 'cron(30 1 * * ? *)',
  targets: { tags: { tier: 'gold' } },
  retention: { maxCount: 3, minCount: 2 },
} as const;

/** Reconcile's period in the demo (deployed: 15 minutes; here 3 hours, to keep the week quick): a new cache is enrolled within one. */
export const DEMO_RECONCILE_MS = 3 * HOUR_MS;

/** A gold cache created mid-week (enrolled by the next reconcile), one deleted (retired, snapshots kept). */
export const FLEET_EVENTS: readonly DemoEvent[] = [
  {
    at: new Date('2026-03-25T14:05:00Z'),
    says: 'cache ledger is created, tagged tier = gold',
    apply: (emulator) => emulator.seedCache({ name: 'ledger', engine: 'valkey', tags: { tier: 'gold' } }),
  },
  {
    at: new Date('2026-03-27T16:05:00Z'),
    says: 'cache search-index is deleted',
    apply: (emulator) => emulator.removeCache('search-index'),
  },
];

/** Seeds the fleet's caches and writes the gold-tier policy (policy sync enrols what it chooses). */
export async function seedFleet(simulation: Simulation, log: (line: string) => void): Promise<void> {
  for (const cache of FLEET_CACHES) simulation.stack.emulator.seedCache(cache);
  await simulation.putPolicy({ ...FLEET_POLICY });
  const targets: string[] = [];
  for await (const target of simulation.runtime.targets.table.listByPolicy(FLEET_POLICY.policyId)) {
    targets.push(target.cacheName);
  }
  log(
    `  ${FLEET_POLICY.policyId}: targets ${JSON.stringify(FLEET_POLICY.targets)}, enrolled ${targets.join(', ')}`,
  );
}

/** Runs reconcile when its period comes round, logging what it changed in the fleet. */
export async function reconcileIfDue(
  simulation: Simulation,
  at: Date,
  log: (line: string) => void,
): Promise<void> {
  if (at.getTime() % DEMO_RECONCILE_MS !== 0) return;
  const summary = await reconcilePolicies(simulation.reconcileDeps());
  if (summary.targetsEnrolled + summary.targetsRetired === 0) return;
  log(
    `  ${at.toISOString().slice(11, 16)}Z  reconcile: ${summary.targetsEnrolled} target(s) enrolled, ` +
      `${summary.targetsRetired} retired, ${summary.unprotectedCaches ?? '?'} cache(s) unprotected`,
  );
}

/**
 * Every cache's coverage at the end of the week, in the own account and region and in every one a policy
 * names (what `cache-snapshots coverage` prints).
 */
export async function fleetCoverage(simulation: Simulation): Promise<readonly CoverageRow[]> {
  return (await readPlacedCoverage(simulation.runtime)).rows;
}

/** The coverage table of the report, as `cache-snapshots coverage` prints it. */
export function formatCoverage(rows: readonly CoverageRow[]): string[] {
  return formatTable(COVERAGE_HEADERS, rows.map(coverageCells));
}
