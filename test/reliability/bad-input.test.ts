import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemClient, type ItemClient } from '#lib/adapters/dynamodb/item-client';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { PolicyItem } from '#lib/policy/types';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { Simulation } from '#local/simulation';
import { auditSlots, CREATE, createKey, scheduledSlots } from './support/audit';
import { driveTicks } from './support/drive';
import { type MalformedRecord, malformedRecords, toItem } from './support/malformed-policies';
import { scaled, timeoutFor } from './support/scale';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
const SETUP_AT = addMs(START, -30 * MINUTE_MS);
const LAST_SLOT = addMs(START, 3 * HOUR_MS);
const CACHES = Array.from({ length: 20 }, (_, i) => `shared-${String(i).padStart(2, '0')}`);
/** Malformed records through each path: put and synced, written raw then reconciled, corrupted after sync. */
const THROUGH_SYNC = scaled(600);
const THROUGH_RECONCILE = scaled(300);
const THROUGH_TICK = scaled(100);
const SEED = 4242;

/** Hourly valid policies, one per shared cache: they must get every snapshot whatever else is in the table. */
const VALID: PolicyItem[] = CACHES.map((cacheName, i) => ({
  policyId: `valid-${String(i).padStart(2, '0')}`,
  cacheName,
  schedule: 'cron(0 * * * ? *)',
  tags: { team: 'platform' },
}));

interface Judged {
  readonly policyId: string;
  readonly state: unknown;
  readonly stateReason: unknown;
  readonly broken: readonly string[];
}

/** Whether the stored item is INVALID with a reason that names one of the attributes that were broken. */
function isJudgedInvalid(judged: Judged): boolean {
  return (
    judged.state === 'INVALID' &&
    typeof judged.stateReason === 'string' &&
    judged.stateReason.length > 0 &&
    judged.broken.some((attribute) => (judged.stateReason as string).includes(attribute))
  );
}

describe('malformed policy records', () => {
  let sim: Simulation;
  let documents: ItemClient;
  const judged: Record<'sync' | 'reconcile' | 'tick', Judged[]> = { sync: [], reconcile: [], tick: [] };
  const kinds = new Map<string, number>();
  const corrupted: { policyId: string; record: MalformedRecord }[] = [];
  let reconcileFailed = -1;
  let tickErrors = 0;

  async function readItem(policyId: string): Promise<Record<string, unknown> | undefined> {
    return documents.get({ TableName: sim.stack.policiesTable, Key: { policyId }, ConsistentRead: true });
  }

  async function writeRaw(item: Record<string, unknown>): Promise<void> {
    await documents.put({ TableName: sim.stack.policiesTable, Item: item });
  }

  /** Every stored policy item by id, in one scan. */
  async function storedItems(): Promise<Map<string, PolicyItem>> {
    const items = new Map<string, PolicyItem>();
    for await (const item of sim.runtime.policies.listAll()) items.set(item.policyId, item);
    return items;
  }

  async function judgeAll(
    entries: readonly { policyId: string; record: MalformedRecord }[],
  ): Promise<Judged[]> {
    const stored = await storedItems();
    return entries.map(({ policyId, record }) => ({
      policyId,
      state: stored.get(policyId)?.state,
      stateReason: stored.get(policyId)?.stateReason,
      broken: record.broken,
    }));
  }

  function count(record: MalformedRecord): void {
    for (const kind of record.kinds) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }

  beforeAll(async () => {
    sim = await Simulation.start({ start: SETUP_AT, emulator: { snapshotCompletionMs: 30_000 } });
    documents = createItemClient();
    for (const name of CACHES) sim.stack.emulator.seedCache({ name });
    for (const policy of VALID) await sim.putPolicy(policy);
    // Daily policies, ACTIVE and due at START, then corrupted by hand (before the table fills up: syncing
    // an ACTIVE record reads its cache's peers).
    const records = fc
      .sample(malformedRecords(CACHES), { numRuns: THROUGH_TICK * 2, seed: SEED + 2 })
      .filter((record) => !record.broken.includes('policyId'))
      .slice(0, THROUGH_TICK);
    for (const [i, record] of records.entries()) {
      const policyId = `corrupted-${i}`;
      await sim.putPolicy({
        policyId,
        cacheName: CACHES[i % CACHES.length] as string,
        schedule: 'cron(0 0 * * ? *)',
      });
      const synced = await readItem(policyId);
      expect(synced?.state).toBe('ACTIVE');
      const orchestrator = Object.fromEntries(
        ['state', 'nextRunAt', 'dueBucket', 'specHash', 'syncedAt'].map((name) => [name, synced?.[name]]),
      );
      await writeRaw({ ...toItem(record, 'x'), policyId, ...orchestrator });
      corrupted.push({ policyId, record });
      count(record);
    }
  }, timeoutFor(60_000));

  afterAll(() => sim?.stop());

  it(
    'marks every record put through policy sync INVALID with a reason, without a crash',
    async () => {
      let next = 0;
      await fc.assert(
        fc.asyncProperty(malformedRecords(CACHES), async (record) => {
          const item = toItem(record, `s${next++}`);
          const outcome = await sim.putPolicy(item as PolicyItem);
          const written = outcome.action === 'written' ? outcome.result : undefined;
          const result: Judged = {
            policyId: item.policyId,
            state: written?.state,
            stateReason: written?.stateReason,
            broken: record.broken,
          };
          expect(result, JSON.stringify(item).slice(0, 2000)).toSatisfy(isJudgedInvalid);
          judged.sync.push(result);
          count(record);
        }),
        { numRuns: THROUGH_SYNC, seed: SEED },
      );
    },
    timeoutFor(60_000),
  );

  it(
    'marks every record written straight into the table INVALID once reconciled',
    async () => {
      const records = fc.sample(malformedRecords(CACHES), { numRuns: THROUGH_RECONCILE, seed: SEED + 1 });
      const written = records.map((record, i) => ({ record, item: toItem(record, `r${i}`) }));
      for (const { item } of written) await writeRaw(item);
      const summary = await reconcilePolicies(sim.reconcileDeps());
      reconcileFailed = summary.failed;
      judged.reconcile.push(
        ...(await judgeAll(written.map(({ record, item }) => ({ policyId: item.policyId, record })))),
      );
      for (const { record } of written) count(record);
      expect(summary.failed).toBe(0);
      expect(judged.reconcile.filter((result) => !isJudgedInvalid(result))).toEqual([]);
    },
    timeoutFor(60_000),
  );

  it(
    'marks ACTIVE records corrupted by hand INVALID in the tick that finds them due, and the valid policies still get every snapshot in those ticks',
    async () => {
      expect(corrupted).toHaveLength(THROUGH_TICK);
      const emulator = sim.stack.emulator;
      emulator.resetCalls();
      // The first minutes of every hour: the slot, and its completion a minute later. (A tick with more than
      // a thousand items in the table is slow on dynalite, which answers an index query with a table scan.)
      for (let slot = START; slot <= LAST_SLOT; slot = addMs(slot, HOUR_MS)) {
        await driveTicks(sim, {
          from: slot,
          until: addMs(slot, 2 * MINUTE_MS),
          settleBy: addMs(slot, 30 * MINUTE_MS),
          onTickError: () => {
            tickErrors += 1;
          },
        });
      }
      judged.tick.push(...(await judgeAll(corrupted)));
      const expected = scheduledSlots(VALID, new Date(START.getTime() - 1), LAST_SLOT);
      const runs = (await sim.allRuns()).filter((run) => run.slot >= START.toISOString());
      const audit = auditSlots({ expected, runs, calls: emulator.calls, snapshots: emulator.snapshots() });
      expect(tickErrors).toBe(0);
      expect(judged.tick.filter((result) => !isJudgedInvalid(result))).toEqual([]);
      expect(audit.lost).toEqual([]);
      expect(audit.unexpected).toEqual([]);
      expect(audit.duplicates).toEqual([]);
      expect(runs.every((run) => run.status === 'AVAILABLE')).toBe(true);
      const creates = emulator.calls.filter((call) => call.action === CREATE);
      expect(creates.map(createKey).sort()).toEqual([...expected].sort());
    },
    timeoutFor(60_000),
  );

  it('leaves every malformed record stored INVALID after the ticks', async () => {
    const all = [...judged.sync, ...judged.reconcile, ...judged.tick];
    expect(all.length).toBeGreaterThanOrEqual(scaled(1000));
    const stored = await storedItems();
    const after = all.map((result) => ({
      ...result,
      state: stored.get(result.policyId)?.state,
      stateReason: stored.get(result.policyId)?.stateReason,
    }));
    expect(after.filter((result) => !isJudgedInvalid(result))).toEqual([]);
    printSummary('bad input', {
      records: all.length,
      invalid: after.filter(isJudgedInvalid).length,
      'through sync': judged.sync.length,
      'through reconcile': judged.reconcile.length,
      'through tick': judged.tick.length,
      'reconcile failures': reconcileFailed,
      'tick errors': tickErrors,
      breakages: [...kinds].map(([kind, n]) => `${kind} ${n}`).join(' / '),
    });
  });
});
