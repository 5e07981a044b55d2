import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createDynamoDocumentClient } from './adapters/dynamodb/document-client';
import { DynamoPolicyStore } from './adapters/dynamodb/policy-store';
import { DynamoRunStore } from './adapters/dynamodb/run-store';
import { AdaptiveLimit } from './adaptive-limit';
import { realSleep, systemClock } from './clock';
import type { Config } from './config';
import type { PolicyStore } from './policy/policy-store';
import type { RunStore } from './runs/run-store';
import { type SchedulerDeps, settingsFrom } from './scheduler/deps';
import { lazySnapshotGateway } from './snapshots/lazy-snapshot-gateway';
import type { SnapshotGateway } from './snapshots/snapshot-gateway';
import type { ReconcileDeps } from './sync/reconcile';
import type { SyncDeps } from './sync/sync-policy';

/** The adapters a function works with, built once per process (module scope of a handler). */
export interface Runtime {
  readonly config: Config;
  readonly policies: PolicyStore;
  readonly runs: RunStore;
  readonly snapshots: SnapshotGateway;
}

/** SDK client settings the functions leave at the SDK's defaults: for the local simulation and tests only. */
export interface ClientOverrides {
  /** Builds each client's retry strategy (one per client: a strategy keeps its own retry quota). */
  readonly retryStrategy?: () => NonNullable<DynamoDBClientConfig['retryStrategy']>;
}

/**
 * Builds the DynamoDB stores and the ElastiCache gateway for `config`. Endpoints come only from the SDK's
 * standard variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_ELASTICACHE), so one build runs against
 * AWS and the local stack alike. The ElastiCache client is loaded and built on the gateway's first call
 * (once per process), so a tick with nothing to do never evaluates it; its calls share one adaptive limit
 * (at most `config.concurrency` in flight, backing off on throttling) for the life of the process.
 */
export function createRuntime(config: Config, overrides: ClientOverrides = {}): Runtime {
  const clientConfig = () => (overrides.retryStrategy ? { retryStrategy: overrides.retryStrategy() } : {});
  const documents = createDynamoDocumentClient(clientConfig());
  const limit = new AdaptiveLimit({ maxInFlight: config.concurrency });
  return {
    config,
    policies: new DynamoPolicyStore({ client: documents, tableName: config.policiesTable }),
    runs: new DynamoRunStore({ client: documents, tableName: config.runsTable }),
    snapshots: lazySnapshotGateway(async () => {
      const elastiCache = await import('./adapters/elasticache/snapshot-gateway');
      const client = elastiCache.createElastiCacheClient(clientConfig(), limit);
      return new elastiCache.ElastiCacheSnapshotGateway(client);
    }),
  };
}

/** Scheduler dependencies for one invocation: real time, and the invocation's remaining time. */
export function schedulerDeps(runtime: Runtime, remainingMs: () => number): SchedulerDeps {
  return {
    policies: runtime.policies,
    runs: runtime.runs,
    snapshots: runtime.snapshots,
    clock: systemClock,
    sleep: realSleep,
    random: Math.random,
    remainingMs,
    settings: settingsFrom(runtime.config),
  };
}

export function syncDeps(runtime: Runtime): SyncDeps {
  return { policies: runtime.policies, snapshots: runtime.snapshots, clock: systemClock };
}

/** Reconcile's dependencies: policy sync's, the runs, and the settings its snapshot check reads. */
export function reconcileDeps(runtime: Runtime): ReconcileDeps {
  const { concurrency, runRetentionDays } = runtime.config;
  const { policies, runs, snapshots } = runtime;
  return { policies, runs, snapshots, clock: systemClock, settings: { concurrency, runRetentionDays } };
}
