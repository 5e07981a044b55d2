import '#cli/interactive-env';
import { logger } from '#lib/observability';
import { describeAccounts } from './demo/accounts';
import { countEvents } from './demo/event-lines';
import { describeExports } from './demo/exports';
import { fleetCoverage, formatCoverage } from './demo/fleet';
import { describeOnDemand } from './demo/on-demand';
import { describeSnapshots, formatReport } from './demo/report';
import { restoreTestReport } from './demo/restore-tests';
import { runDemo } from './demo/run-demo';
import { serve } from './demo/serve';

/**
 * `npm start`: the orchestrator over a simulated week on the local stack, then the report.
 * `npm start -- --serve`: the local stack in real time, for the CLI. `--verbose` shows the orchestrator's logs.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
if (!process.argv.includes('--verbose')) logger.setLogLevel('SILENT');

if (process.argv.includes('--serve')) {
  await serve({ log });
} else {
  const started = Date.now();
  const { simulation, report } = await runDemo({ log });
  try {
    log('\nWhat the run records say, per policy:\n');
    for (const line of formatReport(report)) log(line);
    log('\nCoverage of every cache at the end of the week (cache-snapshots coverage):\n');
    for (const line of formatCoverage(await fleetCoverage(simulation))) log(line);
    log(
      `\n${describeSnapshots(
        simulation.stack.emulator.partitions().flatMap((partition) => partition.snapshots()),
        report,
      )}`,
    );
    const runs = await simulation.allRuns();
    log(describeOnDemand(runs, simulation.stack.emulator.snapshots()));
    for (const line of await describeExports(simulation, runs)) log(line);
    for (const line of await restoreTestReport(simulation)) log(line);
    log('\nPer account and region (each policy works only in its own):\n');
    for (const line of await describeAccounts(simulation, report)) log(line);
    for (const line of countEvents(simulation.stack.eventBridge.events())) log(line);
    log(
      `Simulated ${report.length} policies over a week in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await simulation.stop();
  }
}
