/**
 * An Amazon ElastiCache Serverless snapshot emulator: an HTTP server on 127.0.0.1 that speaks the AWS Query
 * protocol, so the unmodified `@aws-sdk/client-elasticache` reaches it through `AWS_ENDPOINT_URL_ELASTICACHE`
 * or the client's `endpoint` option. It keeps caches and snapshots in memory with the service's rules, and
 * injects faults, latency and throttling on demand. Signatures are not checked, only required.
 */
import { FaultInjector } from './faults/fault-injector';
import { RateLimiter } from './faults/rate-limiter';
import { CacheRegistry } from './model/cache-registry';
import { SnapshotControls } from './model/snapshot-controls';
import { SnapshotOperations, type SnapshotRules } from './model/snapshot-operations';
import { SnapshotStore } from './model/snapshot-store';
import { createRandom, randomInt } from './prng';
import { createOperations } from './protocol/operations';
import { listenHttp } from './server/http-server';
import { handleCall } from './server/request-pipeline';
import { WallSleep } from './server/wall-sleep';
import type { CallRecord, Emulator, EmulatorOptions } from './types';

export type * from './types';

const DEFAULTS = {
  region: 'us-east-1',
  accountId: '123456789012',
  snapshotCompletionMs: 5 * 60_000,
  accountSnapshotLimit: 1000,
  perCacheDailyLimit: 24,
  seed: 1,
  port: 0,
} as const;

/** Starts an emulator with no caches and no snapshots; `stop()` it when done. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? (() => new Date());
  const partition = {
    region: options.region ?? DEFAULTS.region,
    accountId: options.accountId ?? DEFAULTS.accountId,
  };
  const rules: SnapshotRules = {
    completionMs: options.snapshotCompletionMs ?? DEFAULTS.snapshotCompletionMs,
    accountSnapshotLimit: options.accountSnapshotLimit ?? DEFAULTS.accountSnapshotLimit,
    perCacheDailyLimit: options.perCacheDailyLimit ?? DEFAULTS.perCacheDailyLimit,
  };
  const random = createRandom(options.seed ?? DEFAULTS.seed);
  const caches = new CacheRegistry(partition, clock, random);
  const store = new SnapshotStore();
  const controls = new SnapshotControls(partition, clock, caches, store, rules);
  const operations = createOperations(new SnapshotOperations(partition, clock, caches, store, rules), caches);
  const injector = new FaultInjector();
  const limiter = new RateLimiter();
  const wall = new WallSleep();
  const calls: CallRecord[] = [];
  let latency: { minMs: number; maxMs: number } | undefined;
  let stopped: Promise<void> | undefined;

  const transport = await listenHttp(options.port ?? DEFAULTS.port, (call) =>
    handleCall(
      {
        clock,
        operations,
        injector,
        limiter,
        drawLatencyMs: () => (latency ? randomInt(random, latency.minMs, latency.maxMs) : 0),
        sleep: (ms) => wall.sleep(ms),
        record: (entry) => calls.push(entry),
      },
      call,
    ),
  );

  return {
    endpoint: transport.endpoint,
    region: partition.region,
    accountId: partition.accountId,
    stop() {
      wall.cancelAll();
      stopped ??= transport.close();
      return stopped;
    },
    seedCache: (cache) => caches.seed(cache),
    setCacheStatus: (name, status) => caches.setStatus(name, status),
    caches: () => caches.list(),
    seedSnapshot: (snapshot) => controls.seed(snapshot),
    setSnapshotStatus: (name, status) => controls.setStatus(name, status),
    removeSnapshot: (name) => controls.remove(name),
    snapshots: () => controls.list(),
    setSnapshotCompletionMs(ms) {
      rules.completionMs = ms;
    },
    scriptFaults: (action, faults) => injector.script(action, faults),
    pendingFaults: (action) => injector.pending(action),
    setRandomFaults: (config) => injector.setRandom(config),
    clearFaults: () => injector.clear(),
    setLatency(value) {
      if (value && !(value.minMs >= 0 && value.maxMs >= value.minMs)) {
        throw new RangeError('latency needs 0 <= minMs <= maxMs');
      }
      latency = value;
    },
    setRateLimit: (requestsPerSecond) => limiter.setLimit(requestsPerSecond),
    get calls() {
      return calls;
    },
    resetCalls() {
      calls.length = 0;
    },
  };
}
