import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { bareDiscovery } from '#bench/support/bare-discovery';
import { startFixture } from '#bench/support/fixture';
import type { RemoteStack } from '#bench/support/remote-stack';
import type { Row } from '#bench/support/table';
import { loadConfig } from '#lib/config';
import { DISCOVERY_CONCURRENCY } from '#lib/fleet/fleet-source';
import { createRuntime, type Runtime } from '#lib/runtime';
import { fleetOf } from '#lib/sync/sync-targets';
import {
  DESCRIBE,
  discoveryRows,
  LARGE,
  LATENCY_MS,
  LIST_TAGS,
  RATE_LIMIT,
  type Sample,
  SMALL,
} from './discovery-rows';

const ROUNDS = 3;
/** Each cache's tags (a realistic few): discovery reads them all. */
const TAGS = { team: 'payments', tier: 'gold', environment: 'production' };

/** Runs `work` (which returns the caches it saw, checked against `caches`) and what it cost. */
async function sample(stack: RemoteStack, caches: number, work: () => Promise<number>): Promise<Sample> {
  await stack.resetCalls();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const seen = await work();
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  if (seen !== caches) throw new Error(`discovery saw ${seen} caches, not ${caches}`);
  const calls = await stack.calls();
  const count = (action: string) => calls.filter((call) => call.action === action).length;
  const throttled = calls.filter((call) => call.outcome === 'Throttling').length;
  return {
    wallMs,
    cpuMs: (user + system) / 1000,
    describe: count(DESCRIBE),
    listTags: count(LIST_TAGS),
    throttled,
  };
}

/** The orchestrator's discovery of its own account and region ({}), as reconcile and policy sync call it; every cache's tags must be read. */
async function discover(runtime: Runtime): Promise<number> {
  const fleet = await fleetOf({ placements: runtime.placements, targets: runtime.targets }, {});
  const unreadable = fleet.caches.filter((cache) => cache.tagsError !== undefined).length;
  if (unreadable > 0) throw new Error(`discovery could not read the tags of ${unreadable} caches`);
  return fleet.caches.length;
}

/**
 * Seeds the fleet up to `caches` (tagged), then ROUNDS of discovery and of the bare calls, taken in turn,
 * after one unmeasured round of each when `warmUp` (the first call loads the adapter and opens sockets).
 * Discovery runs on `runtime` (its gateway under the process's adaptive limit, as the reconcile function).
 */
async function measureAt(
  stack: RemoteStack,
  runtime: Runtime,
  bare: ElastiCacheClient,
  caches: number,
  from: number,
  warmUp: boolean,
) {
  const names = Array.from({ length: caches - from }, (_, i) => `bench-fleet-${from + i}`);
  await stack.seedCaches(names, undefined, TAGS);
  if (warmUp) {
    await sample(stack, caches, () => discover(runtime));
    await sample(stack, caches, () => bareDiscovery(bare, DISCOVERY_CONCURRENCY));
  }
  const discovery: Sample[] = [];
  const bareSamples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    discovery.push(await sample(stack, caches, () => discover(runtime)));
    bareSamples.push(await sample(stack, caches, () => bareDiscovery(bare, DISCOVERY_CONCURRENCY)));
  }
  return { discovery, bare: bareSamples };
}

/**
 * Row 13 (discovery): the reconcile's discovery (lib/sync/sync-targets.ts `fleetOf`: DescribeServerlessCaches
 * pages, then ListTagsForResource per cache, DISCOVERY_CONCURRENCY at a time under the adaptive limit)
 * against the emulator holding 100 and then 1,000 tagged caches, every call held LATENCY_MS; beside it the
 * bare calls from the same process at the same concurrency. Last, 1,000 caches with the emulator limiting
 * the account to RATE_LIMIT requests a second, on a fresh runtime (a fresh adaptive limit, its adapter
 * loaded beforehand by one cache listing made before the limit, so no throttle and no rate yet).
 */
export async function measureDiscovery(): Promise<Row[]> {
  const fixture = await startFixture({ stores: 'memory' });
  const bare = new ElastiCacheClient({ cacheMiddleware: true });
  try {
    const { stack, runtime } = fixture;
    await stack.setLatency(LATENCY_MS);
    const small = await measureAt(stack, runtime, bare, SMALL, 0, true);
    const large = await measureAt(stack, runtime, bare, LARGE, SMALL, false);
    const fresh = createRuntime(loadConfig(process.env));
    await fresh.placements.snapshots({}).listCaches(); // loads its adapter; unthrottled, so no rate is set
    await stack.setRateLimit(RATE_LIMIT);
    const limited = await sample(stack, LARGE, () => discover(fresh));
    return discoveryRows({ small, large, limited });
  } finally {
    bare.destroy();
    await fixture.stop();
  }
}
