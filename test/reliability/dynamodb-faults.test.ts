import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMs, HOUR_MS, MINUTE_MS } from '#lib/clock';
import { loadConfig } from '#lib/config';
import type { StoreError } from '#lib/errors';
import { logger } from '#lib/observability';
import type { PolicyItem } from '#lib/policy/types';
import { createRuntime } from '#lib/runtime';
import type { SchedulerDeps } from '#lib/scheduler/deps';
import { reconcilePolicies } from '#lib/sync/reconcile';
import { isInSync } from '#lib/sync/sync-policy';
import { type DynamoFaultProxy, startDynamoFaultProxy } from '#local/dynamo-fault-proxy';
import { noDelayRetries } from '#local/no-delay-retries';
import type { Simulation } from '#local/simulation';
import { auditSlots, formatStatuses, racedCreates, type SlotAudit, scheduledSlots } from './support/audit';
import { driveTicks } from './support/drive';
import { captureLogLines, type LogCapture, reportingStoreErrors } from './support/observe-failures';
import { SCALE, timeoutFor } from './support/scale';
import { startWithPolicies } from './support/start';
import { printSummary } from './support/summary';

const START = new Date('2026-03-02T00:00:00.000Z');
/** Hourly within one day (so no cache exceeds its 24 snapshots in 24 hours): 20 × 3 at scale 1, 25 × 24 at 10. */
const HOURS = Math.min(24, 3 * SCALE);
const POLICY_COUNT = Math.ceil((20 * 3 * SCALE) / HOURS);
const LAST_SLOT = addMs(START, (HOURS - 1) * HOUR_MS);
/** Policies whose record an operator rewrites mid-run (new tags): policy sync writes under faults too. */
const EDITED = 6;
const EDIT_AT = addMs(START, 30 * MINUTE_MS);

const POLICIES: PolicyItem[] = Array.from({ length: POLICY_COUNT }, (_, i) => ({
  policyId: `ddb-${String(i).padStart(2, '0')}`,
  cacheName: `ddb-cache-${String(i).padStart(2, '0')}`,
  schedule: `cron(0 0-${HOURS - 1} 2 3 ? 2026)`,
  ...(i % 5 === 0 ? { retention: { maxCount: 2 } } : {}),
}));

describe(`DynamoDB writes failing and throttled, two ticks at once, ${POLICY_COUNT * HOURS} (policy, slot) pairs`, () => {
  let sim: Simulation;
  let proxy: DynamoFaultProxy;
  let logs: LogCapture;
  let audit: SlotAudit;
  const surfaced: StoreError[] = [];
  const tickErrors: unknown[] = [];
  let reconcileFailures = 0;
  let raced: string[] = [];

  beforeAll(async () => {
    sim = await startWithPolicies(START, POLICIES);
    const emulator = sim.stack.emulator;

    // The same runtime the functions build, its DynamoDB endpoint behind the fault-injecting proxy.
    proxy = await startDynamoFaultProxy(sim.stack.dynamodbEndpoint);
    const direct = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
    const faulty = createRuntime(loadConfig(), { retryStrategy: noDelayRetries });
    // The SDK reads the endpoint variable at a client's first request, and keeps it.
    await faulty.policies.get('warm-up');
    process.env.AWS_ENDPOINT_URL_DYNAMODB = direct;
    const onError = (error: StoreError) => surfaced.push(error);
    const stores: Partial<SchedulerDeps> = {
      policies: reportingStoreErrors(faulty.policies, onError),
      runs: reportingStoreErrors(faulty.runs, onError),
    };
    const reconcileDeps = {
      ...sim.reconcileDeps(),
      policies: stores.policies ?? faulty.policies,
      runs: stores.runs ?? faulty.runs,
    };
    const tables = [sim.stack.policiesTable, sim.stack.runsTable];
    // A third of the faults are throttles, the others 500s, half of them after the write took effect; the
    // SDK retries them as in production, without its backoff waits (noDelayRetries).
    const kinds = [
      'throttling',
      'provisionedThroughput',
      'http500',
      'http500',
      'http500AfterEffect',
      'http500AfterEffect',
    ] as const;
    proxy.setFaults({
      seed: 77,
      rules: [
        { operations: ['UpdateItem'], tables: [sim.stack.policiesTable], rate: 0.4, kinds },
        { operations: ['PutItem', 'UpdateItem'], tables, rate: 0.3, kinds },
        { operations: ['Query', 'GetItem'], tables, rate: 0.05, kinds },
      ],
    });

    logger.setLogLevel('WARN');
    logs = captureLogLines();
    try {
      let edited = false;
      await driveTicks(sim, {
        from: START,
        until: addMs(LAST_SLOT, 70 * MINUTE_MS),
        settleBy: addMs(LAST_SLOT, 4 * HOUR_MS),
        overrides: () => stores,
        ticksAtOnce: 2,
        before: (at) => {
          if (at >= addMs(LAST_SLOT, 65 * MINUTE_MS)) proxy.setFaults(undefined);
        },
        after: async (at) => {
          if (!edited && at >= EDIT_AT) {
            edited = true;
            for (const policy of POLICIES.slice(0, EDITED)) {
              await sim.runtime.policies.put({ ...policy, tags: { edited: at.toISOString() } });
            }
          }
          if (edited) {
            const summary = await reconcilePolicies(reconcileDeps).catch((error: unknown) => {
              tickErrors.push(error);
              return { failed: 1 };
            });
            reconcileFailures += summary.failed;
          }
        },
        onTickError: (error) => tickErrors.push(error),
      });
    } finally {
      logs.restore();
      logger.setLogLevel('SILENT');
    }

    raced = racedCreates(emulator.calls);
    audit = auditSlots({
      expected: scheduledSlots(POLICIES, new Date(START.getTime() - 1), LAST_SLOT),
      runs: await sim.allRuns(),
      calls: emulator.calls,
      snapshots: emulator.snapshots(),
    });
    printSummary('dynamodb faults', {
      slots: audit.slots,
      'ticks at once': 2,
      duplicates: audit.duplicates.length,
      'raced Creates': raced.length,
      lost: audit.lost.length,
      'faults injected': proxy.injected.length,
      'errors through SDK retries': surfaced.length,
      'error log lines': logs.lines.filter((line) => line.level === 'ERROR').length,
      'failed ticks': tickErrors.length,
      'reconcile failures': reconcileFailures,
      statuses: formatStatuses(audit.byStatus),
    });
  }, timeoutFor(120_000));

  afterAll(async () => {
    await proxy?.stop();
    await sim?.stop();
  });

  it('injects write faults on both tables, some outlasting the SDK retries', () => {
    const tables = new Set(proxy.injected.map((fault) => fault.table));
    expect(tables).toEqual(new Set([sim.stack.policiesTable, sim.stack.runsTable]));
    expect(new Set(proxy.injected.map((fault) => fault.kind)).size).toBe(4);
    expect(surfaced.length).toBeGreaterThan(0);
  });

  it('loses no slot and ends every run resolved', () => {
    expect(audit.lost).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.unresolved).toEqual([]);
  });

  it('never creates a snapshot twice for one slot, nor calls Create for it from two ticks at once', () => {
    expect(audit.duplicates).toEqual([]);
    expect(raced).toEqual([]);
    expect(audit.orphans).toEqual([]);
    expect(audit.missingSnapshots).toEqual([]);
  });

  it('logs every store error that outlasted the SDK retries (or fails the tick with it)', () => {
    expect(logs.lines.some((line) => line.level === 'ERROR')).toBe(true);
    const told = [...logs.lines.map((line) => line.text), ...tickErrors.map(String)];
    const silent = surfaced.filter((error) => {
      const escaped = JSON.stringify(error.message).slice(1, -1);
      return !told.some((text) => text.includes(escaped) || text.includes(error.message));
    });
    expect(silent.map((error) => error.message)).toEqual([]);
  });

  it('syncs the edited policies despite the faults', async () => {
    for (const policy of POLICIES.slice(0, EDITED)) {
      const item = await sim.runtime.policies.get(policy.policyId);
      expect(item && isInSync(item), policy.policyId).toBe(true);
      expect(item?.tags).toMatchObject({ edited: EDIT_AT.toISOString() });
    }
  });
});
