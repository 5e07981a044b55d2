import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createAwsPlacementClients } from './adapters/aws-placement-clients';
import { createItemClient } from './adapters/dynamodb/item-client';
import { DynamoPolicyStore } from './adapters/dynamodb/policy-store';
import { DynamoRestoreTestStore } from './adapters/dynamodb/restore-test-store';
import { DynamoRunStore } from './adapters/dynamodb/run-store';
import { DynamoTargetTable } from './adapters/dynamodb/target-table';
import { AdaptiveLimit } from './adaptive-limit';
import { realSleep, type Sleep, systemClock } from './clock';
import type { Config } from './config';
import { EXPORT_DEFAULTS, type ExportContext } from './exports/deps';
import { lazyObjectStore } from './exports/lazy-object-store';
import { memberObjectStores } from './exports/member-object-stores';
import type { ObjectStore } from './exports/object-store';
import type { CredentialSource } from './placements/credential-cache';
import type { PlacementRef } from './placements/placement';
import type { PlacementClients } from './placements/placement-clients';
import type { PolicyStore } from './policy/policy-store';
import type { RestoreTestDeps } from './restore-tests/restore-test-deps';
import type { RestoreTestStore } from './restore-tests/restore-test-store';
import type { DueRestoreTestDeps } from './restore-tests/start-due-restore-tests';
import { type EventOrigin, type RunEventSink, runEventSink } from './runs/run-events';
import type { RunStore } from './runs/run-store';
import { type SchedulerDeps, settingsFrom } from './scheduler/deps';
import { lazySnapshotGateway } from './snapshots/lazy-snapshot-gateway';
import type { SnapshotGateway } from './snapshots/snapshot-gateway';
import { type EventBus, lazyEventBus } from './state-events/event-bus';
import { EventPublisher, realTimeout } from './state-events/publisher';
import type { ReconcileDeps } from './sync/reconcile';
import type { SyncDeps } from './sync/sync-policy';
import { type TargetStore, targetStoreOf } from './targets/target-store';

/** The adapters a function works with, built once per process (module scope of a handler). */
export interface Runtime {
  readonly config: Config;
  readonly policies: PolicyStore;
  readonly runs: RunStore;
  /** Every target's schedule state: the `cacheName` policies' items and the targets table. */
  readonly targets: TargetStore;
  /** Restore-test records, in the runs table (lib/restore-tests). */
  readonly restoreTests: RestoreTestStore;
  readonly snapshots: SnapshotGateway;
  /** The gateways of every (account, region), `snapshots` being the own one's (lib/placements). */
  readonly placements: PlacementClients;
  /** The event bus of `config.eventBusName`, its client loaded and built on the first put. */
  readonly eventBus: EventBus;
  /** S3 for exports (lib/exports), its clients loaded and built on the first call, one per region. */
  readonly objects: ObjectStore;
  /** S3 on the credentials of a placement's account: `objects` in the own account (lib/exports/deps.ts). */
  readonly objectsIn: (placement: PlacementRef) => ObjectStore;
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
 * `placements` gives the gateway of any (account, region), that one for the own placement.
 */
export function createRuntime(config: Config, overrides: ClientOverrides = {}): Runtime {
  const clientConfig = () => (overrides.retryStrategy ? { retryStrategy: overrides.retryStrategy() } : {});
  const documents = createItemClient(clientConfig());
  /** S3 on the own credentials, or (a member account's) on `credentials`; loaded on first use. */
  const s3Store = async (credentials?: CredentialSource) => {
    const s3 = await import('./adapters/s3/object-store');
    const { s3ClientsByRegion } = await import('./adapters/s3/client');
    const settings = { ...clientConfig(), ...(credentials ? { credentials } : {}) };
    return new s3.S3ObjectStore({ clientFor: s3ClientsByRegion(settings) });
  };
  const limit = new AdaptiveLimit({ maxInFlight: config.concurrency });
  const policies = new DynamoPolicyStore({ client: documents, tableName: config.policiesTable });
  const own = {
    config,
    policies,
    targets: targetStoreOf(
      policies,
      new DynamoTargetTable({ client: documents, tableName: config.targetsTable }),
    ),
    runs: new DynamoRunStore({ client: documents, tableName: config.runsTable }),
    restoreTests: new DynamoRestoreTestStore({ client: documents, tableName: config.runsTable }),
    snapshots: lazySnapshotGateway(async () => {
      const elastiCache = await import('./adapters/elasticache/snapshot-gateway');
      const client = elastiCache.createElastiCacheClient(clientConfig(), limit);
      return new elastiCache.ElastiCacheSnapshotGateway(client);
    }),
    eventBus: lazyEventBus(async () => {
      const eventBridge = await import('./adapters/eventbridge/event-bus');
      const client = eventBridge.createEventBridgeClient(clientConfig());
      return new eventBridge.EventBridgeEventBus(client, config.eventBusName);
    }),
    objects: lazyObjectStore(() => s3Store()),
  };
  const placements = createAwsPlacementClients(config, own.snapshots, clientConfig);
  const objectsIn = memberObjectStores(placements, own.objects, s3Store);
  return { ...own, placements, objectsIn };
}

/** What may differ between the run events of invocations; the defaults are the deployed ones. */
export interface RunEventOptions {
  /** The account and region of runs that carry none (default: the config's). */
  readonly origin?: EventOrigin | undefined;
  /** Waits between retries of refused entries (default: real time). */
  readonly sleep?: Sleep;
  /** The longest the end-of-tick flush waits (default PUBLISHER_DEFAULTS.maxWaitMs). */
  readonly maxWaitMs?: number;
}

/** The run events of one invocation, published to the runtime's bus in batches (lib/state-events). */
export function runEventsOf(runtime: Runtime, options: RunEventOptions = {}): RunEventSink {
  const { config } = runtime;
  const publisher = new EventPublisher({
    bus: runtime.eventBus,
    sleep: options.sleep ?? realSleep,
    random: Math.random,
    timeout: realTimeout,
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
  });
  return runEventSink(
    publisher,
    options.origin ?? { account: config.account ?? null, region: config.region ?? null },
  );
}

/**
 * Scheduler dependencies for one invocation: real time, the invocation's remaining time, and its run
 * events (naming `origin` as the account and region of runs that carry none; default: the config's).
 */
export function schedulerDeps(
  runtime: Runtime,
  remainingMs: () => number,
  origin?: EventOrigin,
): SchedulerDeps {
  const exports = exportContextOf(runtime);
  return {
    ...(exports ? { exports } : {}),
    policies: runtime.policies,
    runs: runtime.runs,
    targets: runtime.targets,
    placements: runtime.placements,
    clock: systemClock,
    sleep: realSleep,
    random: Math.random,
    remainingMs,
    settings: settingsFrom(runtime.config),
    events: runEventsOf(runtime, { origin }),
    restoreTests: { store: runtime.restoreTests, deployment: runtime.config.deploymentName },
  };
}

/**
 * What following a restore test needs outside a tick (the CLI's `restore-test`): real time, no invocation
 * deadline, the deployed settings, and the runtime's events (flush them at the end).
 */
export function restoreTestDeps(
  runtime: Runtime,
  deployment: string,
): RestoreTestDeps & { events: RunEventSink } {
  return {
    restoreTests: runtime.restoreTests,
    runs: runtime.runs,
    policies: runtime.policies,
    placements: runtime.placements,
    clock: systemClock,
    random: Math.random,
    remainingMs: () => Number.POSITIVE_INFINITY,
    settings: settingsFrom(runtime.config),
    deployment,
    events: runEventsOf(runtime),
  };
}

/** What reconcile needs to start the restore tests whose slot came (lib/restore-tests). */
export function restoreTestStartDeps(runtime: Runtime): DueRestoreTestDeps {
  return {
    restoreTests: runtime.restoreTests,
    targets: runtime.targets.table,
    policies: runtime.policies,
    clock: systemClock,
    deployment: runtime.config.deploymentName,
  };
}

/**
 * What a tick needs to export (lib/exports): the runtime's S3, the deployed export settings and the region
 * of its caches. Undefined without a region (AWS_REGION, always set in Lambda): no export can be placed then.
 */
export function exportContextOf(runtime: Runtime): ExportContext | undefined {
  const { region } = runtime.config;
  if (region === undefined) return undefined;
  return {
    objects: runtime.objects,
    objectsIn: runtime.objectsIn,
    settings: { ...EXPORT_DEFAULTS, region },
  };
}

/**
 * Policy sync's dependencies. Export buckets are checked in the function's own region (where its caches
 * are until policies name a region); without a known region they are not checked.
 */
export function syncDeps(runtime: Runtime): SyncDeps {
  const { region } = runtime.config;
  const { policies, targets, placements } = runtime;
  return {
    policies,
    targets,
    placements,
    clock: systemClock,
    ...(region === undefined
      ? {}
      : { exportChecks: { objects: runtime.objects, objectsIn: runtime.objectsIn, region } }),
  };
}

/** Reconcile's dependencies: policy sync's, the runs, and the settings its snapshot check reads. */
export function reconcileDeps(runtime: Runtime): ReconcileDeps {
  const { concurrency, runRetentionDays } = runtime.config;
  const { policies, runs, targets, placements } = runtime;
  const settings = { concurrency, runRetentionDays };
  return { policies, runs, targets, placements, clock: systemClock, settings };
}
