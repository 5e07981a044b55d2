import { createDynamoDocumentClient } from './adapters/dynamodb/document-client';
import { DynamoPolicyStore } from './adapters/dynamodb/policy-store';
import { DynamoRunStore } from './adapters/dynamodb/run-store';
import { createElastiCacheClient, ElastiCacheSnapshotGateway } from './adapters/elasticache/snapshot-gateway';
import { realSleep, systemClock } from './clock';
import type { Config } from './config';
import type { PolicyStore } from './policy/policy-store';
import type { RunStore } from './runs/run-store';
import { type SchedulerDeps, settingsFrom } from './scheduler/deps';
import type { SnapshotGateway } from './snapshots/snapshot-gateway';
import type { SyncDeps } from './sync/sync-policy';

/** The adapters a function works with, built once per process (module scope of a handler). */
export interface Runtime {
  readonly config: Config;
  readonly policies: PolicyStore;
  readonly runs: RunStore;
  readonly snapshots: SnapshotGateway;
}

/**
 * Builds the DynamoDB stores and the ElastiCache gateway for `config`. Endpoints come only from the SDK's
 * standard variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_ELASTICACHE), so one build runs against
 * AWS and the local stack alike.
 */
export function createRuntime(config: Config): Runtime {
  const documents = createDynamoDocumentClient();
  return {
    config,
    policies: new DynamoPolicyStore({ client: documents, tableName: config.policiesTable }),
    runs: new DynamoRunStore({ client: documents, tableName: config.runsTable }),
    snapshots: new ElastiCacheSnapshotGateway(createElastiCacheClient()),
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
