import { describe, expect, it } from 'vitest';
import { DEFAULTS, loadConfig } from '#lib/config';
import { ConfigError } from '#lib/errors';
import { instantiate, readMemberRoleTemplate } from './member-role-template';
import { propertiesOf, RESOURCE_LESS_ACTIONS, referenceOf, roleStatements } from './template-reader';

const ORCHESTRATOR_ROLES = [
  'arn:aws:iam::123456789012:role/cache-snapshot-orchestrator-prod-SchedulerRole-AB12CD34',
  'arn:aws:iam::123456789012:role/cache-snapshot-orchestrator-prod-PolicySyncRole-EF56GH78',
];
const EXTERNAL_ID = 'b7f3c1d2e5a94f60-orders';
const DEPLOYMENT = 'cache-snapshot-orchestrator-prod';
const template = readMemberRoleTemplate();
const given = {
  OrchestratorRoleArns: ORCHESTRATOR_ROLES.join(','),
  ExternalId: EXTERNAL_ID,
  DeploymentName: DEPLOYMENT,
};
const member = instantiate(template, given);

/** Whether CloudFormation would accept `value` for a parameter's AllowedPattern, MinLength and MaxLength. */
function acceptedBy(name: string, value: string): boolean {
  const parameter = template.Parameters[name];
  if (!parameter) throw new Error(`no parameter ${name}`);
  const pattern = new RegExp(`^(?:${parameter.AllowedPattern ?? '.*'})$`);
  return (
    pattern.test(value) &&
    value.length >= (parameter.MinLength ?? 0) &&
    value.length <= (parameter.MaxLength ?? Number.POSITIVE_INFINITY)
  );
}

describe('member-role.yml', () => {
  it("trusts only the orchestrator's roles, and only when they send the external ID", () => {
    const role = propertiesOf(member, 'MemberRole', 'AWS::IAM::Role');

    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OrchestratorWithExternalId',
          Effect: 'Allow',
          Principal: { AWS: ORCHESTRATOR_ROLES },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
        },
      ],
    });
  });

  it('cannot be created without the role ARNs, an external ID and the deployment name', () => {
    expect(template.Parameters.OrchestratorRoleArns).toMatchObject({ Type: 'CommaDelimitedList' });
    for (const name of ['OrchestratorRoleArns', 'ExternalId', 'DeploymentName'] as const) {
      expect(template.Parameters[name]?.Default, name).toBeUndefined();
      const { [name]: _, ...others } = given;
      expect(() => instantiate(template, others), name).toThrow(new RegExp(name));
    }
  });

  it("accepts the orchestrator's deployment names, its stack names", () => {
    expect(acceptedBy('DeploymentName', DEPLOYMENT)).toBe(true);
    expect(acceptedBy('DeploymentName', 'cache-snapshot-orchestrator-local')).toBe(true);
    for (const value of ['', '1-starts-with-a-digit', 'has_underscore', 'a'.repeat(129)]) {
      expect(acceptedBy('DeploymentName', value), value.slice(0, 40)).toBe(false);
    }
  });

  it('accepts exactly the external IDs and role names the orchestrator accepts', () => {
    const samples = ['x', 'ab', 'b7f3:orders/prod=1,a.b@c+d_e', 'has space', 'semi;colon', 'a'.repeat(1224)];
    for (const value of [...samples, 'a'.repeat(1225)]) {
      const orchestrator = (() => {
        const env = {
          POLICIES_TABLE: 'p',
          RUNS_TABLE: 'r',
          TARGETS_TABLE: 't',
          DEPLOYMENT_NAME: DEPLOYMENT,
          MEMBER_EXTERNAL_ID: value,
        };
        try {
          return loadConfig(env).memberExternalId === value;
        } catch (error) {
          // Only a refusal of the external ID itself counts: any other refusal would make this check vacuous.
          if (error instanceof ConfigError && error.message.includes('MEMBER_EXTERNAL_ID')) return false;
          throw error;
        }
      })();
      expect(acceptedBy('ExternalId', value), value.slice(0, 40)).toBe(orchestrator);
    }
    expect(acceptedBy('RoleName', 'snapshots@member')).toBe(true);
    expect(acceptedBy('RoleName', 'path/role')).toBe(false);
    expect(acceptedBy('RoleName', 'r'.repeat(65))).toBe(false);
  });

  it("is named as the orchestrator's memberRoleName by default, or as given", () => {
    const named = instantiate(template, { ...given, RoleName: 'snapshots-member' });

    expect(propertiesOf(member, 'MemberRole', 'AWS::IAM::Role').RoleName).toBe(DEFAULTS.memberRoleName);
    expect(propertiesOf(named, 'MemberRole', 'AWS::IAM::Role').RoleName).toBe('snapshots-member');
    const output = template.Outputs?.MemberRoleArn as { Value: unknown } | undefined;
    expect(referenceOf(output?.Value)).toBe('MemberRole');
  });

  it('allows only named actions, each on resources of its own account (any region), on "*" only EC2 reads without resource-level permissions', () => {
    const statements = roleStatements(member, 'MemberRole');

    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect, statement.Sid).toBe('Allow');
      expect(statement.NotAction, statement.Sid).toBeUndefined();
      expect(statement.NotResource, statement.Sid).toBeUndefined();
      for (const action of statement.Action)
        expect(action, statement.Sid).toMatch(/^(elasticache|ec2|kms):[A-Za-z]+$/);
      if (statement.Resource.includes('*')) {
        expect(statement.Resource, statement.Sid).toEqual(['*']);
        for (const action of statement.Action) expect(RESOURCE_LESS_ACTIONS, statement.Sid).toContain(action);
        continue;
      }
      for (const resource of statement.Resource) {
        expect(referenceOf(resource), statement.Sid).toMatch(
          /^arn:\$\{AWS::Partition\}:[a-z0-9]+:\*:\$\{AWS::AccountId\}:/,
        );
      }
    }
  });

  it('grants no S3 action without ExportBuckets', () => {
    const s3 = roleStatements(member, 'MemberRole').flatMap((statement) =>
      statement.Action.filter((action) => action.startsWith('s3:')),
    );

    expect(s3).toEqual([]);
  });

  it('lets exports locate and list only the ExportBuckets, and get, put, tag and delete only their objects', () => {
    const exporting = instantiate(template, { ...given, ExportBuckets: 'orders-exports,orders-dr.eu' });
    const s3 = roleStatements(exporting, 'MemberRole').filter((statement) =>
      statement.Action.some((action) => action.startsWith('s3:')),
    );

    expect(s3.map((statement) => [statement.Sid, statement.Resource.map(referenceOf)])).toEqual([
      ['ExportBucketsLocateAndList', ['arn:*:s3:::orders-exports', 'arn:*:s3:::orders-dr.eu']],
      ['ExportObjects', ['arn:*:s3:::orders-exports/*', 'arn:*:s3:::orders-dr.eu/*']],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
      ['ExportListBucketNames', ['arn:${AWS::Partition}:s3:::*']],
    ]);
    expect(s3.map((statement) => statement.Condition)).toEqual([undefined, undefined, undefined]);
    expect(s3[2]?.Action).toEqual(['s3:ListAllMyBuckets']);
  });

  it('takes for ExportBuckets S3 bucket names separated by commas, and nothing else', () => {
    for (const value of ['', 'orders-exports', 'orders-exports,orders-dr.eu', 'a1b,c.d-e']) {
      expect(acceptedBy('ExportBuckets', value), value).toBe(true);
    }
    for (const value of [
      'orders-exports, orders-dr',
      'arn:aws:s3:::orders-exports',
      'orders-exports,',
      'Orders',
      'ab',
      'orders-exports/*',
    ]) {
      expect(acceptedBy('ExportBuckets', value), value).toBe(false);
    }
  });

  it('snapshots only caches tagged with CacheTagValue and named with CacheNamePrefix when they are given', () => {
    const restricted = instantiate(template, {
      ...given,
      CacheNamePrefix: 'orders-',
      CacheTagValue: 'enabled',
    });
    const create = roleStatements(restricted, 'MemberRole').filter((statement) =>
      statement.Action.includes('elasticache:CreateServerlessCacheSnapshot'),
    );

    expect(create.map((statement) => [statement.Resource.map(referenceOf), statement.Condition])).toEqual([
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
        ['arn:${AWS::Partition}:elasticache:*:${AWS::AccountId}:serverlesscache:orders-*'],
        { StringEquals: { 'aws:ResourceTag/snapshot-orchestrator': 'enabled' } },
      ],
      [
        [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
          'arn:${AWS::Partition}:elasticache:*:${AWS::AccountId}:serverlesscachesnapshot:orders-*-????????-????-????????',
        ],
        {
          StringEquals: {
            'aws:RequestTag/managed-by': 'cache-snapshot-orchestrator',
            'aws:RequestTag/snapshot-orchestrator-deployment': DEPLOYMENT,
          },
        },
      ],
    ]);
  });
});
