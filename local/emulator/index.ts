/**
 * An Amazon ElastiCache Serverless emulator: an HTTP server on 127.0.0.1 that speaks the AWS Query
 * protocol, so the unmodified `@aws-sdk/client-elasticache` reaches it through `AWS_ENDPOINT_URL_ELASTICACHE`
 * or the client's `endpoint` option. It keeps caches and snapshots in memory per account and region with the
 * service's rules, exports snapshots into an S3 endpoint through the S3 API, and injects faults, latency and
 * throttling on demand. Signatures are not checked, only required; the access key picks the account.
 */

import { CredentialRegistry } from '#local/identity/credential-registry';
import { ExportLedger } from './exports/export-ledger';
import { connectS3ExportTarget } from './exports/export-target';
import { FaultInjector } from './faults/fault-injector';
import { PartitionSet, type PartitionState } from './partitions';
import { createRandom, randomInt } from './prng';
import { createOperations } from './protocol/operations';
import { listenHttp } from './server/http-server';
import { handleCall } from './server/request-pipeline';
import { WallSleep } from './server/wall-sleep';
import type { CallRecord, Emulator, EmulatorOptions, EmulatorPartition } from './types';

export type * from './types';

const DEFAULTS = {
  region: 'us-east-1',
  accountId: '123456789012',
  snapshotCompletionMs: 5 * 60_000,
  accountSnapshotLimit: 1000,
  perCacheDailyLimit: 24,
  cacheCreationMs: 3 * 60_000,
  cacheDeletionMs: 2 * 60_000,
  cacheLimit: 100,
  exportCompletionMs: 2 * 60_000,
  exportObjectMaxBytes: 64 * 1024,
  seed: 1,
  port: 0,
} as const;

/** The controls of one partition, over its state. */
function controlsOf(state: PartitionState): EmulatorPartition {
  return {
    accountId: state.partition.accountId,
    region: state.partition.region,
    seedCache: (cache) => state.caches.seed(cache),
    setCacheStatus: (name, status) => state.caches.setStatus(name, status),
    setCacheTags: (name, tags) => state.caches.setTags(name, tags),
    removeCache: (name) => state.caches.remove(name),
    caches: () => state.caches.list(),
    failNextCacheCreations(count = 1) {
      state.cacheOperations.pendingCreateFailures += count;
    },
    seedSnapshot: (snapshot) => state.snapshotControls.seed(snapshot),
    setSnapshotStatus: (name, status) => state.snapshotControls.setStatus(name, status),
    removeSnapshot: (name) => state.snapshotControls.remove(name),
    snapshots: () => state.snapshotControls.list(),
    setRateLimit(requestsPerSecond) {
      state.limiter.setLimit(requestsPerSecond);
      state.ownRateLimit = requestsPerSecond !== undefined;
    },
  };
}

/** Starts an emulator with no caches and no snapshots; `stop()` it when done. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? (() => new Date());
  const accountId = options.accountId ?? DEFAULTS.accountId;
  const region = options.region ?? DEFAULTS.region;
  const rules = {
    completionMs: options.snapshotCompletionMs ?? DEFAULTS.snapshotCompletionMs,
    accountSnapshotLimit: options.accountSnapshotLimit ?? DEFAULTS.accountSnapshotLimit,
    perCacheDailyLimit: options.perCacheDailyLimit ?? DEFAULTS.perCacheDailyLimit,
    cacheCreationMs: options.cacheCreationMs ?? DEFAULTS.cacheCreationMs,
    cacheDeletionMs: options.cacheDeletionMs ?? DEFAULTS.cacheDeletionMs,
    cacheLimit: options.cacheLimit ?? DEFAULTS.cacheLimit,
    exportCompletionMs: options.exportCompletionMs ?? DEFAULTS.exportCompletionMs,
    exportObjectCount: 1,
    exportObjectMaxBytes: options.exportObjectMaxBytes ?? DEFAULTS.exportObjectMaxBytes,
  };
  const random = createRandom(options.seed ?? DEFAULTS.seed);
  const credentials = options.credentials ?? new CredentialRegistry(accountId);
  const partitions = new PartitionSet(clock, random, rules);
  const home = partitions.get(accountId, region);
  const exportLedger = new ExportLedger(clock, rules);
  const injector = new FaultInjector();
  const wall = new WallSleep();
  const calls: CallRecord[] = [];
  let latency: { minMs: number; maxMs: number } | undefined;
  let stopped: Promise<void> | undefined;

  async function connectS3(endpoint: string | undefined): Promise<void> {
    exportLedger.target?.close();
    exportLedger.target = endpoint === undefined ? undefined : await connectS3ExportTarget(endpoint);
  }
  if (options.s3Endpoint) await connectS3(options.s3Endpoint);

  const operations = createOperations(exportLedger);
  const transport = await listenHttp(options.port ?? DEFAULTS.port, (call) =>
    handleCall(
      {
        clock,
        operations,
        injector,
        credentials,
        partitions,
        beforeRequest: () => exportLedger.settle(),
        drawLatencyMs: () => (latency ? randomInt(random, latency.minMs, latency.maxMs) : 0),
        sleep: (ms) => wall.sleep(ms),
        record: (entry) => calls.push(entry),
      },
      call,
    ),
  );

  return {
    ...controlsOf(home),
    endpoint: transport.endpoint,
    stop() {
      wall.cancelAll();
      exportLedger.target?.close();
      stopped ??= transport.close();
      return stopped;
    },
    partition: (account, partitionRegion) => controlsOf(partitions.get(account, partitionRegion)),
    partitions: () => partitions.all().map(controlsOf),
    setRateLimit: (requestsPerSecond) => partitions.setDefaultRateLimit(requestsPerSecond),
    setSnapshotCompletionMs(ms) {
      rules.completionMs = ms;
    },
    setCacheTimings({ creationMs, deletionMs }) {
      if (creationMs !== undefined) rules.cacheCreationMs = creationMs;
      if (deletionMs !== undefined) rules.cacheDeletionMs = deletionMs;
    },
    setCacheLimit(limit) {
      rules.cacheLimit = limit;
    },
    connectS3,
    exports: () => exportLedger.list(),
    settle: () => exportLedger.settle(),
    setExportTimings({ completionMs, objectCount }) {
      if (completionMs !== undefined) rules.exportCompletionMs = completionMs;
      if (objectCount !== undefined) {
        if (!(Number.isInteger(objectCount) && objectCount >= 1))
          throw new RangeError('objectCount must be >= 1');
        rules.exportObjectCount = objectCount;
      }
    },
    denyExportWrites: (bucket, denied = true) => exportLedger.denyWrites(bucket, denied),
    failNextExports(count = 1) {
      exportLedger.pendingFailures += count;
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
    get calls() {
      return calls;
    },
    resetCalls() {
      calls.length = 0;
    },
  };
}
