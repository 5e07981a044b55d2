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
  /** State-change events the bus never took (after retries, or when a flush stopped waiting). */
  EventsNotPublished: 'EventsNotPublished',
  /**
   * Per `cacheName` policy (dimension `policyId`) and per ACTIVE target of a `targets` policy (dimensions
   * `policyId` and `cacheName`): seconds since its newest available snapshot.
   */
  NewestSnapshotAgeSeconds: 'NewestSnapshotAgeSeconds',
  /** Service-wide: the worst NewestSnapshotAgeSeconds of all active policies and targets (what the RPO alarm watches). */
  MaxNewestSnapshotAgeSeconds: 'MaxNewestSnapshotAgeSeconds',
  /** A member account's role could not be assumed (each failed AssumeRole; the AssumeRoleFailed alarm). */
  AssumeRoleFailures: 'AssumeRoleFailures',
  /**
   * Reconcile: the caches no ACTIVE policy protects (coverage UNPROTECTED), in every account and region it
   * could list (what the alarm watches), and per account and region (dimensions `account`, `region`).
   */
  UnprotectedCaches: 'UnprotectedCaches',
  /**
   * Per destination bucket (dimension EXPORT_DESTINATION_DIMENSION = the bucket name): hours since the
   * recovery point of the newest snapshot exported or copied there. The export alarm watches the worst one.
   */
  ExportRecoveryPointAgeHours: 'ExportRecoveryPointAgeHours',
  /**
   * Per `cacheName` policy with a `restoreTest` (dimension `policyId`) and per ACTIVE target of a `targets`
   * policy with one (dimensions `policyId` and `cacheName`): days since its newest VERIFIED restore test
   * (since `restoreTest` was set, or the target enrolled, while there is none).
   */
  RestoreTestAgeDays: 'RestoreTestAgeDays',
  /**
   * Service-wide: the largest (RestoreTestAgeDays - restoreTest.alarmAfterDays) of all targets, what the
   * RestoreTestOverdue alarm watches (above 0). One alarm cannot hold a threshold per policy (policies are
   * data, the template is not), so each policy's allowance is taken off before the metric is emitted.
   */
  MaxRestoreTestOverdueDays: 'MaxRestoreTestOverdueDays',
} as const;

/** The dimension of ExportRecoveryPointAgeHours: the export or replica bucket the value is about. */
export const EXPORT_DESTINATION_DIMENSION = 'destination';

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
  EventsNotPublished: MetricUnit.Count,
  NewestSnapshotAgeSeconds: MetricUnit.Seconds,
  MaxNewestSnapshotAgeSeconds: MetricUnit.Seconds,
  AssumeRoleFailures: MetricUnit.Count,
  UnprotectedCaches: MetricUnit.Count,
  ExportRecoveryPointAgeHours: MetricUnit.NoUnit,
  RestoreTestAgeDays: MetricUnit.NoUnit,
  MaxRestoreTestOverdueDays: MetricUnit.NoUnit,
};

/** Records `value` on a service-level metric (flushed with the invocation's other metrics). */
export function recordMetric(name: MetricName, value = 1): void {
  metrics.addMetric(name, UNITS[name], value);
}

/** Emits one metric right away with extra dimensions (e.g. per target: policyId and cacheName). */
export function emitMetricWith(
  name: MetricName,
  dimensions: Readonly<Record<string, string>>,
  value: number,
): void {
  const single = metrics.singleMetric();
  single.addDimensions({ ...dimensions });
  single.addMetric(name, UNITS[name], value);
}
