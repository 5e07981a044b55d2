import { startFixture } from '#bench/support/fixture';
import { formatNumber } from '#bench/support/stats';
import type { Row } from '#bench/support/table';
import { createElastiCacheClient } from '#lib/adapters/elasticache/client';
import { ElastiCacheSnapshotGateway } from '#lib/adapters/elasticache/snapshot-gateway';
import { DEFAULTS } from '#lib/config';
import { withOwnGateway } from '#lib/placements/placement-clients';
import { dispatch } from '#lib/scheduler/dispatch';

const DUE = 1_000;
const LATENCY_MS = 50;
const RATE_LIMIT = 100;

/** What one dispatch of DUE claimed runs did, timed from its start to its end. */
interface DispatchRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly created: number;
  readonly throttled: number;
  readonly createCalls: number;
}

interface DispatchSetup {
  readonly concurrency: number;
  readonly stores: 'dynamodb' | 'memory';
  readonly rateLimit?: number;
  /** A client without the adaptive limit: the fixed-concurrency baseline. */
  readonly unlimited?: boolean;
}

/**
 * Claims DUE due slots (untimed), then times `dispatch` alone over them with every ElastiCache call taking
 * LATENCY_MS: the real dispatch path and the gateway the runtime builds (unless `unlimited`), on the
 * DynamoDB stores (dynalite) or the in-memory ones.
 */
async function dispatchOnce(setup: DispatchSetup): Promise<DispatchRun> {
  const fixture = await startFixture(setup);
  try {
    await fixture.seedDue(DUE);
    const snapshots = setup.unlimited
      ? new ElastiCacheSnapshotGateway(createElastiCacheClient())
      : fixture.runtime.snapshots;
    const deps = fixture.deps({ placements: withOwnGateway(fixture.runtime.placements, snapshots) });
    const items = await fixture.claimDue(DUE);
    if (items.length !== DUE) throw new Error(`claimed ${items.length} runs, not ${DUE}`);
    await fixture.stack.setLatency(LATENCY_MS);
    await fixture.stack.setRateLimit(setup.rateLimit);
    await fixture.stack.resetCalls();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await dispatch(deps, items, new Set());
    const wallMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const calls = await fixture.stack.calls();
    const creates = calls.filter((call) => call.action === 'CreateServerlessCacheSnapshot');
    return {
      wallMs,
      cpuMs: (user + system) / 1000,
      created: creates.filter((call) => call.outcome === 'ok').length,
      throttled: creates.filter((call) => call.outcome === 'Throttling').length,
      createCalls: creates.length,
    };
  } finally {
    await fixture.stop();
  }
}

function efficiencyRow(setup: DispatchSetup, run: DispatchRun): Row {
  const idealMs = (DUE * LATENCY_MS) / setup.concurrency;
  const isDefault = setup.concurrency === DEFAULTS.concurrency;
  const gated = isDefault && setup.stores === 'memory';
  return {
    name: `2. dispatch efficiency, concurrency ${setup.concurrency}${isDefault ? ' (default)' : ''}, ${setup.stores === 'memory' ? 'in-memory stores' : 'DynamoDB stores (dynalite)'}`,
    measured: `${formatNumber(run.wallMs)} ms (${run.created} created)`,
    baseline: `${formatNumber(idealMs)} ms ideal (N × latency / concurrency)`,
    ratio: idealMs / run.wallMs,
    target: gated ? 'efficiency (ideal ÷ measured) ≥ 0.8' : 'info',
    pass: gated ? idealMs / run.wallMs >= 0.8 && run.created === DUE : undefined,
  };
}

/**
 * Row 2: `dispatch` of 1,000 claimed runs on 1,000 caches at 50 ms per ElastiCache call, against the ideal
 * N × latency / concurrency, at three concurrencies; then under an API rate limit, the adaptive limit
 * against a client without it. The gated figures use the in-memory stores, so they measure the dispatcher
 * and the API rather than dynalite's write speed; the same dispatch on dynalite is reported beside them.
 */
export async function measureDispatch(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const concurrency of [8, DEFAULTS.concurrency, 32]) {
    const setup = { concurrency, stores: 'memory' } as const;
    const run = await dispatchOnce(setup);
    rows.push(efficiencyRow(setup, run));
    if (concurrency === DEFAULTS.concurrency) {
      const perRunMs = LATENCY_MS / concurrency;
      rows.push({
        name: `2. dispatcher CPU per run, concurrency ${concurrency}`,
        measured: `${formatNumber(run.cpuMs / DUE, 2)} ms CPU`,
        baseline: `${formatNumber(perRunMs, 2)} ms wall per run at the ideal rate`,
        ratio: run.cpuMs / DUE / perRunMs,
        target: 'info: ratio = vCPU share needed to keep up',
        pass: undefined,
      });
    }
  }
  const onDynalite = { concurrency: DEFAULTS.concurrency, stores: 'dynamodb' } as const;
  rows.push(efficiencyRow(onDynalite, await dispatchOnce(onDynalite)));
  const limited = { concurrency: DEFAULTS.concurrency, stores: 'memory', rateLimit: RATE_LIMIT } as const;
  const adaptive = await dispatchOnce(limited);
  const fixed = await dispatchOnce({ ...limited, unlimited: true });
  const achieved = (adaptive.created / adaptive.wallMs) * 1000;
  const share = (run: DispatchRun) => run.throttled / run.createCalls;
  const fixedRate = (fixed.created / fixed.wallMs) * 1000;
  rows.push(
    {
      name: `2. rate limit ${RATE_LIMIT}/s, adaptive limit: achieved Create rate`,
      measured: `${formatNumber(achieved, 1)}/s (${adaptive.created} created)`,
      baseline: `${RATE_LIMIT}/s limit (fixed concurrency: ${formatNumber(fixedRate, 1)}/s, ${fixed.created} created)`,
      ratio: achieved / RATE_LIMIT,
      target: '≥ 0.8 × limit',
      pass: achieved >= 0.8 * RATE_LIMIT,
    },
    {
      name: `2. rate limit ${RATE_LIMIT}/s, adaptive limit: Create calls answered Throttling`,
      measured: `${formatNumber(100 * share(adaptive), 1)}% (${adaptive.throttled} of ${adaptive.createCalls})`,
      baseline: `${formatNumber(100 * share(fixed), 1)}% (${fixed.throttled} of ${fixed.createCalls}), fixed concurrency`,
      ratio: share(adaptive) / share(fixed),
      target: '< 5%',
      pass: share(adaptive) < 0.05,
    },
  );
  return rows;
}
