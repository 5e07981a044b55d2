import { dailyAt, startFixture, tickId } from '#bench/support/fixture';
import { meteredStores } from '#bench/support/metered-stores';
import { dailyAfter } from '#bench/support/policies';
import type { ReadTally } from '#bench/support/read-meter';
import { formatNumber } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { cachesOf, type TargetGroup, writeTargetGroups } from '#bench/support/target-groups';
import { paginateItems } from '#lib/adapters/dynamodb/table-call';
import { MINUTE_MS, toIso } from '#lib/clock';
import { runTick } from '#lib/scheduler/tick';

const TARGETS = 10_000;
const DUE = 100;
/** The targets policies of the fleet that are not due: 98 tiers of 100 caches, each daily at its own minute. */
const TIERS = 98;
const TIER_SIZE = 100;
/** The second tick's due targets come from this many policies (DUE / SPREAD each). */
const SPREAD = 10;

/**
 * The rows of one tick: items read, against 1.1 × due when `gated`, else as information (a tick reads the
 * due targets plus one item per policy they belong to), and the read capacity consumed.
 */
function readRows(
  label: string,
  group: TargetGroup,
  tick: ReadTally,
  scan: ReadTally,
  gated: boolean,
): Row[] {
  const limit = 1.1 * DUE;
  const makeup = `${DUE} due targets + ${group.policies} ${group.policies === 1 ? 'policy' : 'policies'} read afresh`;
  return [
    {
      name: `13. tick read cost: items read (${formatNumber(TARGETS)} targets, ${DUE} due of ${label})`,
      measured: `${formatNumber(tick.items)} items in ${tick.calls} reads`,
      baseline: `${formatNumber(scan.items)} items (full Scan of the targets table)`,
      ratio: tick.items / scan.items,
      target: gated ? `≤ ${formatNumber(limit)} (1.1 × due): ${makeup}` : `info: ${makeup}`,
      pass: gated ? tick.items <= limit : undefined,
    },
    {
      name: `13. tick read cost: read capacity, ${DUE} due of ${label} (ReturnConsumedCapacity)`,
      measured: `${formatNumber(tick.capacityUnits, 1)} RCU`,
      baseline: `${formatNumber(scan.capacityUnits, 1)} RCU (full Scan)`,
      ratio: tick.capacityUnits / scan.capacityUnits,
      target: 'grows with due, not with targets',
      pass: undefined,
    },
  ];
}

/**
 * Row 13 (reads): 10,000 targets of `targets` policies in the targets table, written with BatchWriteItem as
 * enrolment leaves them: 98 tiers of 100 caches daily at other minutes, one policy of 100 caches due at the
 * fixture's minute, 10 policies of 10 caches due the minute before. Two real ticks (the earlier minute
 * first, so each sees 100 due among 10,000) on stores whose client counts every item DynamoDB reads,
 * against a full Scan of the targets table through the same meter. A tick reads the due targets through the
 * targets table's due index and each of their policies afresh (one consistent BatchGetItem per 100).
 */
export async function measureTargetReadCost(): Promise<Row[]> {
  const fixture = await startFixture();
  try {
    const { at } = fixture;
    const before = new Date(at.getTime() - MINUTE_MS);
    const iso = toIso(before);
    const minuteOfDay = at.getUTCHours() * 60 + at.getUTCMinutes();
    const concentrated: TargetGroup = {
      name: 'one',
      policies: 1,
      targetsEach: DUE,
      schedule: dailyAt(at),
      nextRunAt: toIso(at),
    };
    const spread: TargetGroup = {
      name: 'ten',
      policies: SPREAD,
      targetsEach: DUE / SPREAD,
      schedule: dailyAt(before),
      nextRunAt: iso,
    };
    const tiers = Array.from({ length: TIERS }, (_, k): TargetGroup => {
      const { schedule, nextRunAt } = dailyAfter((minuteOfDay + 1 + 14 * k) % (24 * 60), at);
      return { name: `tier${k}`, policies: 1, targetsEach: TIER_SIZE, schedule, nextRunAt };
    });
    const groups = [concentrated, spread, ...tiers];
    const { targetsTable } = fixture.runtime.config;
    await writeTargetGroups(fixture.documents, fixture.runtime.config, groups, iso);
    await fixture.stack.seedCaches([...cachesOf(concentrated), ...cachesOf(spread)]);

    const { stores, meter, client } = meteredStores(fixture.runtime.config);
    const tallies: ReadTally[] = [];
    for (const tickAt of [before, at]) {
      meter.reset();
      const summary = await runTick(fixture.deps(stores), { at: tickAt, tickId: tickId() });
      if (summary.claimed !== DUE)
        throw new Error(`the tick at ${toIso(tickAt)} claimed ${summary.claimed} runs, not ${DUE}`);
      tallies.push({ ...meter.tally });
    }
    meter.reset();
    let scanned = 0;
    const call = { operation: 'Scan', tableName: targetsTable };
    const pages = paginateItems(call, (ExclusiveStartKey) =>
      client.scan({ TableName: targetsTable, ExclusiveStartKey }),
    );
    for await (const _ of pages) scanned += 1;
    if (scanned !== TARGETS) throw new Error(`the scan returned ${scanned} targets, not ${TARGETS}`);
    const scan = { ...meter.tally };
    client.destroy();
    return [
      ...readRows('one policy', concentrated, tallies[1] as ReadTally, scan, true),
      ...readRows(`${SPREAD} policies`, spread, tallies[0] as ReadTally, scan, false),
    ];
  } finally {
    await fixture.stop();
  }
}
