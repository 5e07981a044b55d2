import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUE_INDEX } from '#lib/adapters/dynamodb/policy-store';
import { OPEN_INDEX } from '#lib/adapters/dynamodb/run-store';
import { TARGETS_DUE_INDEX } from '#lib/adapters/dynamodb/target-table';
import { DEFAULTS } from '#lib/config';
import { FUNCTIONS, functionFacts } from './functions';
import { copyService, type PackagedService, packageService, type ServiceCopy } from './service-copy';
import {
  type CfnTemplate,
  propertiesOf,
  referenceOf,
  renderTemplate,
  resourceOf,
  resourcesOfType,
} from './template-reader';

let service: ServiceCopy;
let dev: PackagedService;
let template: CfnTemplate;
let prod: CfnTemplate;

beforeAll(async () => {
  service = await copyService();
  dev = await packageService(service);
  template = renderTemplate(dev.template);
  const params = { schedulerRate: 'rate(5 minutes)', reconcileRate: 'rate(1 hour)' };
  prod = renderTemplate((await packageService(service, { stage: 'prod', params })).template);
}, 180_000);

afterAll(async () => {
  await service?.remove();
});

function eventInvokeConfigOf(rendered: CfnTemplate, functionId: string) {
  const configs = resourcesOfType(rendered, 'AWS::Lambda::EventInvokeConfig').filter(
    ([, config]) => referenceOf(config.Properties?.FunctionName) === functionId,
  );
  expect(configs).toHaveLength(1);
  return configs[0]?.[1].Properties ?? {};
}

function scheduleOf(rendered: CfnTemplate, functionId: string): unknown {
  const rules = resourcesOfType(rendered, 'AWS::Events::Rule').filter(([, rule]) =>
    JSON.stringify(rule.Properties?.Targets).includes(`"${functionId}"`),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.[1].Properties?.ScheduleExpression;
}

describe('tables', () => {
  it.each(['PoliciesTable', 'RunsTable', 'TargetsTable'])(
    'keeps %s on stack removal and replacement, recoverable and encrypted',
    (id) => {
      const table = resourceOf(template, id, 'AWS::DynamoDB::Table');

      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      });
    },
  );

  it('streams new and old images of policies and indexes them by due time', () => {
    const policies = propertiesOf(template, 'PoliciesTable', 'AWS::DynamoDB::Table');

    expect(policies.TableName).toBe('cache-snapshot-orchestrator-dev-policies');
    expect(policies.KeySchema).toEqual([{ AttributeName: 'policyId', KeyType: 'HASH' }]);
    expect(policies.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(policies.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: DUE_INDEX,
        KeySchema: [
          { AttributeName: 'dueBucket', KeyType: 'HASH' },
          { AttributeName: 'nextRunAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('keys targets by policy and cache and indexes the ACTIVE ones by due time', () => {
    const targets = propertiesOf(template, 'TargetsTable', 'AWS::DynamoDB::Table');

    expect(targets.TableName).toBe('cache-snapshot-orchestrator-dev-targets');
    expect(targets.KeySchema).toEqual([
      { AttributeName: 'policyId', KeyType: 'HASH' },
      { AttributeName: 'cacheName', KeyType: 'RANGE' },
    ]);
    expect(targets.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: TARGETS_DUE_INDEX,
        KeySchema: [
          { AttributeName: 'dueBucket', KeyType: 'HASH' },
          { AttributeName: 'nextRunAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('keys runs by policyId and runKey, in the -v2 table under the same logical id', () => {
    const runs = propertiesOf(template, 'RunsTable', 'AWS::DynamoDB::Table');

    expect(runs.TableName).toBe('cache-snapshot-orchestrator-dev-runs-v2');
    expect(propertiesOf(prod, 'RunsTable', 'AWS::DynamoDB::Table').TableName).toBe(
      'cache-snapshot-orchestrator-prod-runs-v2',
    );
    expect(runs.KeySchema).toEqual([
      { AttributeName: 'policyId', KeyType: 'HASH' },
      { AttributeName: 'runKey', KeyType: 'RANGE' },
    ]);
    expect(runs.AttributeDefinitions).toContainEqual({ AttributeName: 'runKey', AttributeType: 'S' });
    expect(runs.AttributeDefinitions).not.toContainEqual({ AttributeName: 'slot', AttributeType: 'S' });
  });

  it('expires run records by expiresAt and indexes open runs by their next check', () => {
    const runs = propertiesOf(template, 'RunsTable', 'AWS::DynamoDB::Table');

    expect(runs.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(runs.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: OPEN_INDEX,
        KeySchema: [
          { AttributeName: 'openBucket', KeyType: 'HASH' },
          { AttributeName: 'nextCheckAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });
});

describe('functions', () => {
  it.each(FUNCTIONS.map((fn) => [fn.name, fn] as const))(
    'runs %s on Node.js 22, arm64, JSON logs, source maps',
    (_, fn) => {
      const properties = propertiesOf(template, fn.functionId, 'AWS::Lambda::Function');

      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: `${fn.module}.handler`,
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        Environment: {
          Variables: {
            POLICIES_TABLE: propertiesOf(template, 'PoliciesTable', 'AWS::DynamoDB::Table').TableName,
            RUNS_TABLE: propertiesOf(template, 'RunsTable', 'AWS::DynamoDB::Table').TableName,
            TARGETS_TABLE: propertiesOf(template, 'TargetsTable', 'AWS::DynamoDB::Table').TableName,
            POWERTOOLS_SERVICE_NAME: 'cache-snapshot-orchestrator',
            LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
            MALLOC_ARENA_MAX: '1',
          },
        },
      });
      expect(properties.MemorySize).toEqual(expect.any(Number));
      expect(properties.Timeout).toEqual(expect.any(Number));
    },
  );

  it.each(FUNCTIONS.map((fn) => [fn.name, fn] as const))(
    'packages %s alone: its handler is a built bundle with its source map, the S3 client in a file beside it',
    (_, fn) => {
      const properties = propertiesOf(template, fn.functionId, 'AWS::Lambda::Function');
      const code = properties.Code as { S3Key: string };
      const zipName = code.S3Key.split('/').pop() ?? '';

      expect(zipName).toBe(`${fn.name}.zip`);
      expect([...(dev.zips.get(zipName) ?? [])].sort()).toEqual([
        'functions/aws-sdk-client-s3.cjs',
        `${fn.module}.cjs`,
        `${fn.module}.cjs.map`,
      ]);
    },
  );

  it('keeps the scheduler timeout under the claim lease, so a live tick never loses its claim', () => {
    const scheduler = propertiesOf(template, 'SchedulerLambdaFunction', 'AWS::Lambda::Function');

    expect(Number(scheduler.Timeout) * 1000).toBeLessThan(DEFAULTS.leaseMs);
  });

  it.each(FUNCTIONS.map((fn) => [fn.name, fn] as const))(
    'keeps the logs of %s for the stage retention',
    (_, fn) => {
      expect(propertiesOf(template, fn.logGroupId, 'AWS::Logs::LogGroup').RetentionInDays).toBe(14);
      expect(propertiesOf(prod, fn.logGroupId, 'AWS::Logs::LogGroup').RetentionInDays).toBe(90);
    },
  );
});

describe('triggers and failure routing', () => {
  it('ticks the scheduler every minute and reconciles every 15 minutes by default', () => {
    expect(scheduleOf(template, 'SchedulerLambdaFunction')).toBe('rate(1 minute)');
    expect(scheduleOf(template, 'ReconcileLambdaFunction')).toBe('rate(15 minutes)');
  });

  it('takes the rates from parameters', () => {
    expect(scheduleOf(prod, 'SchedulerLambdaFunction')).toBe('rate(5 minutes)');
    expect(scheduleOf(prod, 'ReconcileLambdaFunction')).toBe('rate(1 hour)');
  });

  it('sends failed and stale scheduler invocations to the dead-letter queue without retrying them', () => {
    expect(eventInvokeConfigOf(template, 'SchedulerLambdaFunction')).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['InvocationFailuresQueue', 'Arn'] } } },
    });
  });

  it('retries reconcile, then sends it to the same dead-letter queue', () => {
    expect(eventInvokeConfigOf(template, 'ReconcileLambdaFunction')).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['InvocationFailuresQueue', 'Arn'] } } },
    });
  });

  it('feeds policy sync from the policies stream, bisecting and dead-lettering poison records', () => {
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');

    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.[1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['PoliciesTable', 'StreamArn'] },
      FunctionName: { 'Fn::GetAtt': [functionFacts('policySync').functionId, 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 25,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['PolicyStreamFailuresQueue', 'Arn'] } },
      },
    });
  });

  it('outputs what the CLI and the README refer to', () => {
    expect(template.Outputs).toMatchObject({
      PoliciesTableName: { Value: { Ref: 'PoliciesTable' } },
      RunsTableName: { Value: { Ref: 'RunsTable' } },
      TargetsTableName: { Value: { Ref: 'TargetsTable' } },
      InvocationFailuresQueueUrl: { Value: { Ref: 'InvocationFailuresQueue' } },
      PolicyStreamFailuresQueueUrl: { Value: { Ref: 'PolicyStreamFailuresQueue' } },
      SchedulerRoleArn: { Value: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] } },
    });
  });

  it.each(['InvocationFailuresQueue', 'PolicyStreamFailuresQueue'])(
    'keeps %s messages 14 days, encrypted',
    (id) => {
      expect(propertiesOf(template, id, 'AWS::SQS::Queue')).toMatchObject({
        MessageRetentionPeriod: 1_209_600,
        SqsManagedSseEnabled: true,
      });
    },
  );
});
