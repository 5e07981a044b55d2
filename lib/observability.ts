import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'cache-snapshot-orchestrator';
export const METRICS_NAMESPACE = 'CacheSnapshotOrchestrator';

/** The one Logger of the service (JSON lines; level from POWERTOOLS_LOG_LEVEL / LOG_LEVEL). */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** The one Metrics of the service (EMF, published by the handlers' middleware after each invocation). */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/**
 * Every metric the code emits. Alarms in serverless.yml must use exactly these names, with the default
 * `service` dimension; the template tests check that.
 */
export const METRIC = {
  SnapshotsRequested: 'SnapshotsRequested',
  SnapshotsFailed: 'SnapshotsFailed',
  SnapshotsAvailable: 'SnapshotsAvailable',
  SnapshotsPruned: 'SnapshotsPruned',
  /** Runs whose snapshot was found deleted outside the orchestrator (status GONE). */
  SnapshotsGone: 'SnapshotsGone',
  SnapshotBytes: 'SnapshotBytes',
  PruneFailures: 'PruneFailures',
  Retries: 'Retries',
  Missed: 'Missed',
  InvalidPolicies: 'InvalidPolicies',
  /** Per policy (dimension `policyId`): seconds since its newest available snapshot. */
  NewestSnapshotAgeSeconds: 'NewestSnapshotAgeSeconds',
  /** Service-wide: the worst NewestSnapshotAgeSeconds of all active policies (what the RPO alarm watches). */
  MaxNewestSnapshotAgeSeconds: 'MaxNewestSnapshotAgeSeconds',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

const UNITS: Record<MetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  SnapshotsRequested: MetricUnit.Count,
  SnapshotsFailed: MetricUnit.Count,
  SnapshotsAvailable: MetricUnit.Count,
  SnapshotsPruned: MetricUnit.Count,
  SnapshotsGone: MetricUnit.Count,
  SnapshotBytes: MetricUnit.Bytes,
  PruneFailures: MetricUnit.Count,
  Retries: MetricUnit.Count,
  Missed: MetricUnit.Count,
  InvalidPolicies: MetricUnit.Count,
  NewestSnapshotAgeSeconds: MetricUnit.Seconds,
  MaxNewestSnapshotAgeSeconds: MetricUnit.Seconds,
};

/** Records `value` on a service-level metric (flushed with the invocation's other metrics). */
export function recordMetric(name: MetricName, value = 1): void {
  metrics.addMetric(name, UNITS[name], value);
}

/** Emits one metric right away with an extra dimension (e.g. per policy). */
export function emitDimensionedMetric(name: MetricName, dimension: string, key: string, value: number): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension, key);
  single.addMetric(name, UNITS[name], value);
}
