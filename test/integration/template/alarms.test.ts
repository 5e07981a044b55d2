import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '#lib/observability';
import { FUNCTIONS } from './functions';
import { copyService, packageService, type ServiceCopy } from './service-copy';
import { type CfnTemplate, isRecord, propertiesOf, renderTemplate, resourcesOfType } from './template-reader';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:snapshot-alarms';

interface WatchedMetric {
  readonly alarm: string;
  readonly namespace: unknown;
  readonly metricName: unknown;
  readonly dimensions: unknown;
}

/** Every metric an alarm watches: its own, or each MetricStat of a metric-math alarm. */
function watchedMetrics(template: CfnTemplate): WatchedMetric[] {
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm').flatMap(([alarm, resource]) => {
    const properties = resource.Properties ?? {};
    if (!Array.isArray(properties.Metrics)) {
      return [
        {
          alarm,
          namespace: properties.Namespace,
          metricName: properties.MetricName,
          dimensions: properties.Dimensions,
        },
      ];
    }
    return properties.Metrics.flatMap((query) => {
      const metric = isRecord(query) && isRecord(query.MetricStat) ? query.MetricStat.Metric : undefined;
      if (!isRecord(metric)) return [];
      return [
        { alarm, namespace: metric.Namespace, metricName: metric.MetricName, dimensions: metric.Dimensions },
      ];
    });
  });
}

function alarmOf(template: CfnTemplate, id: string): Record<string, unknown> {
  return propertiesOf(template, id, 'AWS::CloudWatch::Alarm');
}

let service: ServiceCopy;
let template: CfnTemplate;
let prod: CfnTemplate;

beforeAll(async () => {
  service = await copyService();
  template = renderTemplate((await packageService(service)).template);
  const options = { stage: 'prod', params: { alarmTopicArn: TOPIC, unprotectedCachesAlarm: 'false' } };
  prod = renderTemplate((await packageService(service, options)).template);
}, 180_000);

afterAll(async () => {
  await service?.remove();
});

describe('alarms', () => {
  it("watch only metrics the code emits, with the service's default dimension", () => {
    const ours = watchedMetrics(template).filter((metric) => metric.namespace === METRICS_NAMESPACE);

    expect(ours.length).toBeGreaterThan(0);
    for (const metric of ours) {
      expect(Object.values(METRIC), metric.alarm).toContain(metric.metricName);
      expect(metric.dimensions, metric.alarm).toEqual([{ Name: 'service', Value: SERVICE_NAME }]);
    }
  });

  it('cover failed snapshots, invalid policies and the recovery point', () => {
    const ours = watchedMetrics(template)
      .filter((metric) => metric.namespace === METRICS_NAMESPACE)
      .map((metric) => metric.metricName);

    expect(ours).toEqual(
      expect.arrayContaining([
        METRIC.SnapshotsFailed,
        METRIC.InvalidPolicies,
        METRIC.MaxNewestSnapshotAgeSeconds,
      ]),
    );
  });

  it.each(FUNCTIONS.map((fn) => [fn.name, fn.functionId] as const))(
    'watch errors and throttles of %s',
    (_, functionId) => {
      const lambda = watchedMetrics(template).filter(
        (metric) =>
          metric.namespace === 'AWS/Lambda' &&
          JSON.stringify(metric.dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionId } }]),
      );

      expect(lambda.map((metric) => metric.metricName).sort()).toEqual(['Errors', 'Throttles']);
    },
  );

  it.each(['InvocationFailuresQueue', 'PolicyStreamFailuresQueue'])('watch the depth of %s', (queue) => {
    const depth = watchedMetrics(template).filter(
      (metric) =>
        metric.namespace === 'AWS/SQS' &&
        JSON.stringify(metric.dimensions) ===
          JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]),
    );

    expect(depth.map((metric) => metric.metricName)).toEqual(['ApproximateNumberOfMessagesVisible']);
    expect(alarmOf(template, `${queue}DepthAlarm`)).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
    });
  });

  it('fire on any failed AssumeRole of a member role within 5 minutes', () => {
    expect(alarmOf(template, 'AssumeRoleFailedAlarm')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC.AssumeRoleFailures,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('treat missing counts as nothing happened', () => {
    for (const id of [
      'SnapshotsFailedAlarm',
      'InvalidPoliciesAlarm',
      'AssumeRoleFailedAlarm',
      'SchedulerErrorsAlarm',
    ]) {
      expect(alarmOf(template, id), id).toMatchObject({
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('fire when the newest snapshot of some policy is older than the stage RPO, in hours', () => {
    const rpo = alarmOf(template, 'RecoveryPointAlarm');

    expect(rpo).toMatchObject({
      Threshold: 49,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'missing',
      Metrics: [
        { Id: 'age', ReturnData: false, MetricStat: { Stat: 'Maximum', Period: 3600 } },
        { Id: 'hours', Expression: 'age / 3600', ReturnData: true },
      ],
    });
    expect(alarmOf(prod, 'RecoveryPointAlarm').Threshold).toBe(25);
  });

  it('fire when some export destination has nothing exported for 49 hours, by default', () => {
    expect(alarmOf(template, 'ExportRecoveryPointAlarm')).toMatchObject({
      Threshold: 49,
      Metrics: [{ Expression: expect.stringContaining(`MAX(${METRIC.ExportRecoveryPointAgeHours})`) }],
    });
  });

  it("fire when some cache is past its policy's restoreTest.alarmAfterDays without a VERIFIED restore test", () => {
    expect(alarmOf(template, 'RestoreTestOverdueAlarm')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC.MaxRestoreTestOverdueDays,
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire when some cache stays unprotected for two reconcile periods, unless the parameter turns it off', () => {
    expect(alarmOf(template, 'UnprotectedCachesAlarm')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC.UnprotectedCaches,
      Statistic: 'Minimum',
      Period: 900,
      EvaluationPeriods: 2,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(prod.Resources.UnprotectedCachesAlarm).toBeUndefined();
  });

  it('notify nobody without a topic parameter', () => {
    for (const [id, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties?.AlarmActions, id).toEqual([]);
      expect(alarm.Properties?.OKActions, id).toEqual([]);
    }
  });

  it('send every transition to the alarmTopicArn topic, and a silent RPO metric too', () => {
    const alarms = resourcesOfType(prod, 'AWS::CloudWatch::Alarm');

    // All but the UnprotectedCaches alarm, which the prod package turns off.
    expect(alarms.length).toBe(resourcesOfType(template, 'AWS::CloudWatch::Alarm').length - 1);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties?.AlarmActions, id).toEqual([TOPIC]);
      expect(alarm.Properties?.OKActions, id).toEqual([TOPIC]);
    }
    expect(alarmOf(prod, 'RecoveryPointAlarm').InsufficientDataActions).toEqual([TOPIC]);
  });
});
