import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { cell, formatUtc } from '#cli/format';
import { printJson, printTable, printWarning } from '#cli/output';
import { discoverCaches } from '#lib/fleet/discover-caches';
import { readCoverage } from '#lib/fleet/read-coverage';
import { DISCOVERY_CONCURRENCY } from '#lib/sync/sync-targets';

async function coverageAction(_options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const fleet = await discoverCaches({ snapshots: runtime.snapshots, concurrency: DISCOVERY_CONCURRENCY });
  const { rows, warnings } = await readCoverage(runtime, fleet);
  for (const warning of warnings) printWarning(`policy ${warning.policyId}: ${warning.message}`);
  if (context.options.json) {
    printJson(rows);
    return;
  }
  const table = rows.map((row) => [
    row.cacheName,
    cell(row.engine ?? undefined),
    row.status,
    row.policies.length > 0 ? row.policies.join(', ') : '-',
    row.newestAvailableAt ? formatUtc(row.newestAvailableAt) : 'none',
    row.reason ?? '',
  ]);
  printTable(
    ['CACHE', 'ENGINE', 'STATUS', 'POLICIES', 'NEWEST SNAPSHOT', 'REASON'],
    table,
    'no serverless caches',
  );
}

/** `coverage [--json]`: every serverless cache of the account and region, and whether a policy covers it. */
export function registerCoverageCommand(program: Command): void {
  program
    .command('coverage')
    .description(
      'list every serverless cache of the account and region: PROTECTED (an ACTIVE policy covers it), ' +
        'UNPROTECTED or EXCLUDED, the policies covering it, its newest snapshot, and why not (--json: a JSON array)',
    )
    .action(coverageAction);
}
