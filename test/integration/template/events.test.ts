import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_DESTINATION_DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '#lib/observability';
import { DETAIL_TYPE, EVENT_SOURCE } from '#lib/state-events/event-bus';
import { FUNCTIONS } from './functions';
import { copyService, packageService, type ServiceCopy } from './service-copy';
import {
  allStatements,
  type CfnTemplate,
  conditionValues,
  isRecord,
  propertiesOf,
  referenceOf,
  renderTemplate,
  resourcesOfType,
} from './template-reader';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:snapshot-notifications';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
const BUS_ARN = 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/';

interface DashboardMetric {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly string[];
  readonly options: Record<string, unknown>;
}

interface Widget {
  readonly type: string;
  readonly properties: Record<string, unknown> & { title: string; metrics?: unknown[][] };
}

/** The dashboard body: the Fn::Sub string with every `${…}` replaced by its name, parsed. */
function dashboardOf(template: CfnTemplate): { widgets: Widget[]; substituted: string[] } {
  const body = propertiesOf(template, 'Dashboard', 'AWS::CloudWatch::Dashboard').DashboardBody;
  const source = isRecord(body) ? body['Fn::Sub'] : undefined;
  if (typeof source !== 'string') throw new Error('the dashboard body is not an Fn::Sub string');
  const substituted = [...source.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1] ?? '');
  return { widgets: JSON.parse(source.replace(/\$\{([^}]+)\}/g, '$1')).widgets, substituted };
}

/** Every metric a widget names: metric arrays, and the metric of each Metrics Insights query. */
function dashboardMetrics(widgets: readonly Widget[]): DashboardMetric[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).flatMap((row): DashboardMetric[] => {
      const last = row.at(-1);
      const options = isRecord(last) ? last : {};
      const expression = typeof options.expression === 'string' ? options.expression : '';
      const query = /^SELECT \w+\((\w+)\) FROM (?:SCHEMA\()?(\w+)/.exec(expression);
      if (query) {
        return [
          {
            widget: widget.properties.title,
            namespace: query[2] ?? '',
            name: query[1] ?? '',
            dimensions: [],
            options,
          },
        ];
      }
      if (expression !== '') return [];
      const [namespace, name, ...dimensions] = row.filter((item) => typeof item === 'string') as string[];
      return [
        {
          widget: widget.properties.title,
          namespace: namespace ?? '',
          name: name ?? '',
          dimensions,
          options,
        },
      ];
    }),
  );
}

let service: ServiceCopy;
let template: CfnTemplate;
let notifying: CfnTemplate;

beforeAll(async () => {
  service = await copyService();
  template = renderTemplate((await packageService(service)).template);
  const params = { notifyTopicArn: TOPIC, eventBusName: 'ops-events' };
  notifying = renderTemplate((await packageService(service, { params })).template);
}, 180_000);

afterAll(async () => {
  await service?.remove();
});

describe('events in the packaged template', () => {
  it('let only the scheduler put events, and only on the eventBusName bus', () => {
    for (const [read, bus] of [
      [template, 'default'],
      [notifying, 'ops-events'],
    ] as const) {
      const puts = allStatements(read).filter(({ statement }) =>
        statement.Action.some((action) => action.startsWith('events:')),
      );

      expect(
        puts.map(({ owner, statement }) => [owner, statement.Action, statement.Resource.map(referenceOf)]),
      ).toEqual([['SchedulerRole', ['events:PutEvents'], [`${BUS_ARN}${bus}`]]]);
    }
  });

  it('tell the scheduler its bus', () => {
    const environment = propertiesOf(
      notifying,
      'SchedulerLambdaFunction',
      'AWS::Lambda::Function',
    ).Environment;

    expect(environment).toMatchObject({ Variables: { EVENT_BUS_NAME: 'ops-events' } });
  });

  it('route nothing anywhere without a notifyTopicArn', () => {
    expect(resourcesOfType(template, 'AWS::Events::Rule').map(([id]) => id)).not.toContain('NotifyRule');
    expect(template.Outputs?.NotifyRuleArn).toMatchObject({ Condition: 'HasNotifyTopic' });
    expect(conditionValues(template).get('HasNotifyTopic')).toBe(false);
  });

  it('route failed and missed runs, failed exports and failed restore tests on the bus to the topic', () => {
    const rule = propertiesOf(notifying, 'NotifyRule', 'AWS::Events::Rule');

    expect(rule).toMatchObject({ EventBusName: 'ops-events', State: 'ENABLED' });
    expect(rule.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [DETAIL_TYPE.run, DETAIL_TYPE.export, DETAIL_TYPE.restoreTest],
      detail: { status: ['FAILED', 'MISSED'] },
    });
    expect(rule.Targets).toEqual([{ Id: 'notify-topic', Arn: TOPIC }]);
    expect(notifying.Outputs?.NotifyRuleArn).toMatchObject({
      Value: { 'Fn::GetAtt': ['NotifyRule', 'Arn'] },
    });
  });
});

describe('the dashboard', () => {
  it('names only metrics lib/observability declares, with its service dimension', () => {
    const ours = dashboardMetrics(dashboardOf(template).widgets).filter(
      (metric) => metric.namespace === METRICS_NAMESPACE,
    );

    expect(ours.length).toBeGreaterThan(0);
    for (const metric of ours) {
      expect(Object.values(METRIC), metric.widget).toContain(metric.name);
      if (metric.dimensions.length > 0)
        expect(metric.dimensions, metric.widget).toEqual(['service', SERVICE_NAME]);
    }
  });

  it('shows snapshots created, failed and missed per hour, the oldest recovery points, throttles and lost events', () => {
    const metrics = dashboardMetrics(dashboardOf(template).widgets);
    const perHour = metrics
      .filter((metric) => metric.widget === 'Snapshots per hour')
      .map((metric) => metric.name);
    const names = metrics.map((metric) => metric.name);

    expect(perHour).toEqual(
      expect.arrayContaining([METRIC.SnapshotsRequested, METRIC.SnapshotsFailed, METRIC.Missed]),
    );
    expect(
      dashboardOf(template).widgets.find((widget) => widget.properties.title === 'Snapshots per hour')
        ?.properties,
    ).toMatchObject({ stat: 'Sum', period: 3600 });
    expect(names).toEqual(
      expect.arrayContaining([
        METRIC.MaxNewestSnapshotAgeSeconds,
        METRIC.NewestSnapshotAgeSeconds,
        METRIC.EventsNotPublished,
      ]),
    );
    const throttles = metrics.filter(
      (metric) => metric.namespace === 'AWS/Lambda' && metric.name === 'Throttles',
    );
    expect(throttles.map((metric) => metric.dimensions)).toEqual(
      FUNCTIONS.map((fn) => ['FunctionName', fn.functionId]),
    );
  });

  it('is valid dashboard JSON whose widgets all read this region, substituting only the region and the functions', () => {
    const { widgets, substituted } = dashboardOf(template);

    expect(widgets.length).toBeGreaterThan(0);
    for (const widget of widgets) {
      expect(widget.type, widget.properties.title).toBe('metric');
      expect(widget.properties.region, widget.properties.title).toBe('AWS::Region');
    }
    expect(new Set(substituted)).toEqual(new Set(['AWS::Region', ...FUNCTIONS.map((fn) => fn.functionId)]));
  });

  it('shows unprotected caches, each export destination’s age against the export alarm, and restore-test age per policy with the overdue measure', () => {
    const { widgets } = dashboardOf(template);
    const widgetOf = (name: string) => {
      const found = widgets.filter((widget) =>
        dashboardMetrics([widget]).some((metric) => metric.name === name),
      );
      expect(found, name).toHaveLength(1);
      return found[0]?.properties as Widget['properties'];
    };
    const queries = (properties: Record<string, unknown>) =>
      dashboardMetrics([{ type: 'metric', properties } as Widget]).map(
        (metric) => metric.options.expression ?? `${metric.name} ${metric.dimensions.join(' ')}`,
      );

    expect(queries(widgetOf(METRIC.UnprotectedCaches))).toEqual([
      `${METRIC.UnprotectedCaches} service ${SERVICE_NAME}`,
    ]);
    const exports = widgetOf(METRIC.ExportRecoveryPointAgeHours);
    expect(queries(exports)).toEqual([
      `SELECT MAX(${METRIC.ExportRecoveryPointAgeHours}) FROM SCHEMA(${METRICS_NAMESPACE}, ${EXPORT_DESTINATION_DIMENSION}, service) GROUP BY ${EXPORT_DESTINATION_DIMENSION} ORDER BY MAX() DESC LIMIT 10`,
    ]);
    expect(exports.annotations).toEqual({
      horizontal: [{ label: 'export alarm', value: 49 }], // the exportRpoThresholdHours default
    });
    const restore = widgetOf(METRIC.RestoreTestAgeDays);
    expect(widgetOf(METRIC.MaxRestoreTestOverdueDays)).toBe(restore);
    expect(queries(restore)).toEqual([
      `SELECT MAX(${METRIC.RestoreTestAgeDays}) FROM SCHEMA(${METRICS_NAMESPACE}, policyId, service) GROUP BY policyId ORDER BY MAX() DESC LIMIT 10`,
      `SELECT MAX(${METRIC.RestoreTestAgeDays}) FROM SCHEMA(${METRICS_NAMESPACE}, cacheName, policyId, service) GROUP BY policyId, cacheName ORDER BY MAX() DESC LIMIT 10`,
      `${METRIC.MaxRestoreTestOverdueDays} service ${SERVICE_NAME}`,
    ]);
    expect(restore.annotations).toEqual({ horizontal: [{ label: 'overdue alarm (above 0)', value: 0 }] });
  });

  it('shows the recovery points of cacheName policies and, apart, of each target of a targets policy', () => {
    const { widgets } = dashboardOf(template);
    const found = widgets.filter((widget) =>
      dashboardMetrics([widget]).some((metric) => metric.name === METRIC.NewestSnapshotAgeSeconds),
    );

    expect(found).toHaveLength(1);
    expect(dashboardMetrics(found).map((metric) => metric.options.expression)).toEqual([
      `SELECT MAX(${METRIC.NewestSnapshotAgeSeconds}) FROM SCHEMA(${METRICS_NAMESPACE}, policyId, service) GROUP BY policyId ORDER BY MAX() DESC LIMIT 10`,
      `SELECT MAX(${METRIC.NewestSnapshotAgeSeconds}) FROM SCHEMA(${METRICS_NAMESPACE}, cacheName, policyId, service) GROUP BY policyId, cacheName ORDER BY MAX() DESC LIMIT 10`,
    ]);
  });
});
