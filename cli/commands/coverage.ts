import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { cell, formatUtc } from '#cli/format';
import { parseAccount, parseRegion } from '#cli/option-parsers';
import { printJson, printTable, printWarning } from '#cli/output';
import type { CoverageRow } from '#lib/fleet/coverage';
import { readPlacedCoverage } from '#lib/fleet/read-coverage';

interface CoverageOptions {
  readonly account?: string;
  readonly region?: string;
}

async function coverageAction(options: CoverageOptions, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  const filter = { account: options.account, region: options.region };
  const { rows, warnings } = await readPlacedCoverage(runtime, { filter });
  for (const warning of warnings) printWarning(`policy ${warning.policyId}: ${warning.message}`);
  if (context.options.json) {
    printJson(rows);
    return;
  }
  printTable(COVERAGE_HEADERS, rows.map(coverageCells), 'no serverless caches');
}

/** The coverage table's columns (`cache-snapshots coverage`, and npm start's report). */
export const COVERAGE_HEADERS = [
  'ACCOUNT',
  'REGION',
  'CACHE',
  'ENGINE',
  'STATUS',
  'POLICIES',
  'NEWEST SNAPSHOT',
  'REASON',
];

/** One coverage row as the table shows it. */
export function coverageCells(row: CoverageRow): string[] {
  return [
    row.account,
    row.region,
    row.cacheName,
    cell(row.engine ?? undefined),
    row.status,
    row.policies.length > 0 ? row.policies.join(', ') : '-',
    row.newestAvailableAt ? formatUtc(row.newestAvailableAt) : 'none',
    row.reason ?? '',
  ];
}

/**
 * `coverage [--account …] [--region …] [--json]`: every serverless cache of the orchestrator's own account
 * and region and of every account and region an ACTIVE policy names, and whether a policy covers it.
 */
export function registerCoverageCommand(program: Command): void {
  program
    .command('coverage')
    .description(
      'list every serverless cache of the own account and region and of each one an ACTIVE policy names: ' +
        'PROTECTED (an ACTIVE policy covers it), UNPROTECTED or EXCLUDED, the policies covering it, its newest ' +
        'snapshot, and why not (--json: a JSON array)',
    )
    .option('--account <id>', 'only the caches of this account', parseAccount)
    .option('--region <code>', 'only the caches of this region', parseRegion)
    .action(coverageAction);
}
