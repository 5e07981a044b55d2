import { startFixture, tickId } from '#bench/support/fixture';
import { meteredStores } from '#bench/support/metered-stores';
import { dailyAfter, syncedPolicy, writePolicies } from '#bench/support/policies';
import { formatNumber } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { toIso } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { runTick } from '#lib/scheduler/tick';

const POLICIES = 10_000;
const DUE = 100;

/** A daily policy at a minute other than `at`'s, with the nextRunAt sync gives it (its next slot after `at`). */
function notDuePolicy(i: number, at: Date): PolicyItem {
  const { schedule, nextRunAt } = dailyAfter(1 + (i % (24 * 60 - 1)), at);
  return syncedPolicy(
    { policyId: `bench-later-${i}`, cacheName: `bench-cache-${i}`, schedule },
    nextRunAt,
    toIso(at),
  );
}

/**
 * Row 1: 10,000 synced policies of which 100 are due; one tick, counting every item DynamoDB reads for it
 * and the read capacity consumed, against a full Scan of the same table. The tick reads each due policy
 * twice: once through the due index, once afresh by key (a consistent BatchGetItem, before claiming), so
 * the target is 1.1 × due for each of the two reads.
 */
export async function measureTickReadCost(): Promise<Row[]> {
  const fixture = await startFixture();
  try {
    await fixture.seedDue(DUE);
    const later = Array.from({ length: POLICIES - DUE }, (_, i) => notDuePolicy(i, fixture.at));
    await writePolicies(fixture.documents, fixture.runtime.config.policiesTable, later);
    const { stores, meter, client } = meteredStores(fixture.runtime.config);
    const summary = await runTick(fixture.deps(stores), { at: fixture.at, tickId: tickId() });
    if (summary.claimed !== DUE) throw new Error(`the tick claimed ${summary.claimed} runs, not ${DUE}`);
    const tick = { ...meter.tally };
    meter.reset();
    let scanned = 0;
    for await (const _ of stores.policies.listAll()) scanned += 1;
    if (scanned !== POLICIES) throw new Error(`the scan returned ${scanned} policies, not ${POLICIES}`);
    const scan = { ...meter.tally };
    client.destroy();
    return [
      {
        name: `1. tick read cost: items read (${formatNumber(POLICIES)} policies, ${DUE} due)`,
        measured: `${formatNumber(tick.items)} items in ${tick.calls} reads`,
        baseline: `${formatNumber(scan.items)} items (full Scan)`,
        ratio: tick.items / scan.items,
        target: `≤ ${formatNumber(2 * 1.1 * DUE)} (1.1 × due, index and fresh read)`,
        pass: tick.items <= 2 * 1.1 * DUE,
      },
      {
        name: '1. tick read cost: read capacity (ReturnConsumedCapacity)',
        measured: `${formatNumber(tick.capacityUnits, 1)} RCU`,
        baseline: `${formatNumber(scan.capacityUnits, 1)} RCU (full Scan)`,
        ratio: tick.capacityUnits / scan.capacityUnits,
        target: 'grows with due, not with policies',
        pass: undefined,
      },
    ];
  } finally {
    await fixture.stop();
  }
}
