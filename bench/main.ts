/**
 * `npm run bench`: builds the functions, measures each row of issue 8 side by side with its baseline, and
 * prints one Markdown table (BENCHMARKS.md holds a recent one). `-- --only dispatch,memory` runs some rows.
 */
import './support/quiet';
import { measureAccounts } from './rows/accounts';
import { measureColdStart } from './rows/cold-start';
import { measureDiscovery } from './rows/discovery';
import { measureDispatch } from './rows/dispatch';
import { measureExports } from './rows/exports';
import { measureSlotLag } from './rows/slot-lag';
import { measureTargetReadCost } from './rows/target-read-cost';
import { measureTick } from './rows/tick';
import { measureTickReadCost } from './rows/tick-read-cost';
import { type Row, renderTable } from './support/table';

const ROWS: Readonly<Record<string, () => Promise<Row[]>>> = {
  reads: measureTickReadCost,
  dispatch: measureDispatch,
  'cold-start': measureColdStart,
  tick: measureTick,
  'slot-lag': measureSlotLag,
  exports: measureExports,
  accounts: measureAccounts,
  'target-reads': measureTargetReadCost,
  discovery: measureDiscovery,
};

function selectedRows(args: readonly string[]): string[] {
  const at = args.indexOf('--only');
  if (at === -1) return Object.keys(ROWS);
  const wanted = (args[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((name) => !(name in ROWS));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new Error(`--only takes a comma-separated list of: ${Object.keys(ROWS).join(', ')}`);
  }
  return wanted;
}

const started = performance.now();
const rows: Row[] = [];
for (const name of selectedRows(process.argv.slice(2))) {
  const rowStarted = performance.now();
  process.stderr.write(`bench: ${name}…`);
  rows.push(...(await (ROWS[name] as () => Promise<Row[]>)()));
  process.stderr.write(` ${((performance.now() - rowStarted) / 1000).toFixed(1)} s\n`);
}
console.log(renderTable(rows));
const failed = rows.filter((row) => row.pass === false).length;
console.log(
  `\n${rows.length} rows, ${failed === 0 ? 'every target met' : `${failed} target(s) not met`}; ` +
    `node ${process.version}, ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
