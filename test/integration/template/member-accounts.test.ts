import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '#lib/config';
import { FUNCTIONS } from './functions';
import { instantiate, readMemberRoleTemplate } from './member-role-template';
import { copyService, packageService, type ServiceCopy } from './service-copy';
import {
  allStatements,
  type CfnTemplate,
  isRecord,
  type PolicyStatement,
  propertiesOf,
  referenceOf,
  renderTemplate,
  roleStatements,
} from './template-reader';

const ACCOUNTS = '111111111111,222222222222';
const ORGANIZATION = 'o-a1b2c3d4e5';
const EXTERNAL_ID = 'b7f3c1d2e5a94f60-orders';
const EXPORT_BUCKETS = 'orders-exports,orders-dr.eu';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
const MEMBER_ROLE = 'arn:${AWS::Partition}:iam::*:role/cache-snapshot-orchestrator-member';

let service: ServiceCopy;
let template: CfnTemplate;
let members: CfnTemplate;

beforeAll(async () => {
  service = await copyService();
  template = renderTemplate((await packageService(service)).template);
  const params = {
    memberAccountIds: ACCOUNTS,
    organizationId: ORGANIZATION,
    memberExternalId: EXTERNAL_ID,
    cacheNamePrefix: 'orders-',
    cacheTagValue: 'enabled',
    exportBuckets: EXPORT_BUCKETS,
  };
  members = renderTemplate((await packageService(service, { params })).template);
}, 180_000);

afterAll(async () => {
  await service?.remove();
});

function assumeStatements(rendered: CfnTemplate, roleId: string): PolicyStatement[] {
  return roleStatements(rendered, roleId).filter((statement) =>
    statement.Action.some((action) => action.startsWith('sts:')),
  );
}

/**
 * A statement in a form both templates can share: resources and conditions as plain strings, the
 * orchestrator's region as `*` (both roles serve every region of their account; see iam.test.ts's
 * STILL_ONE_REGION for the statement that does not yet), the partition of S3 ARNs as `*` (member-role.yml
 * cannot write its own into ARNs built from a list), and StringEquals on a value that then holds a wildcard
 * as StringLike (what IAM needs to match it).
 */
function acrossRegions(statement: PolicyStatement): unknown {
  const plain = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value === 'string') {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
      const anyRegion = value.replaceAll('${AWS::Region}', '*');
      return anyRegion.replace(/^arn:\$\{AWS::Partition\}:s3:/, 'arn:*:s3:');
    }
    if (isRecord(value) && typeof value['Fn::Sub'] === 'string') return plain(value['Fn::Sub']);
    if (!isRecord(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  };
  const conditions = Object.entries(statement.Condition ?? {}).map(([operator, values]) => {
    const resolved = plain(values);
    const wildcard = JSON.stringify(resolved).includes('*');
    return [operator === 'StringEquals' && wildcard ? 'StringLike' : operator, resolved];
  });
  return {
    Sid: statement.Sid,
    Action: [...statement.Action].sort(),
    Resource: statement.Resource.map(referenceOf).map(plain),
    Condition: conditions.length > 0 ? Object.fromEntries(conditions) : undefined,
  };
}

/** The statements of the services the member role mirrors (not the orchestrator's own tables, queues, logs). */
const ofServices = (statements: PolicyStatement[]) =>
  statements
    .filter((statement) => statement.Action.some((action) => /^(elasticache|ec2|kms):/.test(action)))
    .map(acrossRegions);
const ofS3 = (statements: PolicyStatement[]) =>
  statements
    .filter((statement) => statement.Action.some((action) => action.startsWith('s3:')))
    .map(acrossRegions);

describe('member accounts in the packaged template', () => {
  it('lets no function assume any role when no member account or organisation is given', () => {
    const sts = allStatements(template).filter(({ statement }) =>
      statement.Action.some((action) => action.startsWith('sts:')),
    );

    expect(sts).toEqual([]);
  });

  it.each(FUNCTIONS.map((fn) => [fn.name, fn.roleId] as const))(
    'lets %s assume only the member role, only with the external ID, in the listed accounts or the organisation',
    (_, roleId) => {
      expect(assumeStatements(members, roleId)).toEqual([
        {
          Sid: 'AssumeMemberRoleInListedAccounts',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: [{ 'Fn::Sub': MEMBER_ROLE }],
          Condition: {
            StringEquals: {
              'aws:ResourceAccount': { 'Fn::Split': [',', ACCOUNTS] },
              'sts:ExternalId': EXTERNAL_ID,
            },
          },
        },
        {
          Sid: 'AssumeMemberRoleInOrganization',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: [{ 'Fn::Sub': MEMBER_ROLE }],
          Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION, 'sts:ExternalId': EXTERNAL_ID } },
        },
      ]);
    },
  );

  it('allows no STS action but AssumeRole, nor on any role but the member role', () => {
    for (const { owner, statement } of allStatements(members)) {
      const sts = statement.Action.filter((action) => action.startsWith('sts:'));
      if (sts.length === 0) continue;
      expect(statement.Action, owner).toEqual(['sts:AssumeRole']);
      expect(statement.Resource.map(referenceOf), owner).toEqual([MEMBER_ROLE]);
      expect(Object.keys(statement.Condition?.StringEquals ?? {}), owner).toContain('sts:ExternalId');
    }
  });

  it('gives every function the member role name and the external ID', () => {
    for (const [rendered, externalId] of [
      [template, ''],
      [members, EXTERNAL_ID],
    ] as const) {
      for (const fn of FUNCTIONS) {
        const environment = propertiesOf(rendered, fn.functionId, 'AWS::Lambda::Function').Environment as {
          Variables: Record<string, string>;
        };
        expect(environment.Variables).toMatchObject({
          MEMBER_ROLE_NAME: DEFAULTS.memberRoleName,
          MEMBER_EXTERNAL_ID: externalId,
        });
      }
    }
  });

  it('outputs the function roles a member role trusts', () => {
    expect(template.Outputs?.MemberTrustedRoleArns).toEqual({
      Value: {
        'Fn::Join': [',', FUNCTIONS.map((fn) => ({ 'Fn::GetAtt': [fn.roleId, 'Arn'] }))],
      },
    });
  });
});

describe('member-role.yml beside the packaged template', () => {
  const memberRole = readMemberRoleTemplate();
  /** The packaged templates are serverless package's default stage, so this is their deployment name. */
  const DEPLOYMENT = 'cache-snapshot-orchestrator-dev';
  const given = {
    OrchestratorRoleArns: 'arn:aws:iam::123456789012:role/scheduler',
    ExternalId: EXTERNAL_ID,
    DeploymentName: DEPLOYMENT,
  };

  it("grants the scheduler role's ElastiCache, EC2 and KMS statements, in every region of its account", () => {
    const member = instantiate(memberRole, given);

    expect(ofServices(roleStatements(member, 'MemberRole'))).toEqual(
      ofServices(roleStatements(template, 'SchedulerRole')),
    );
  });

  it('puts DeploymentName where the scheduler role has its deployment name, and only the same name makes them equal', () => {
    const other = instantiate(memberRole, { ...given, DeploymentName: 'cache-snapshot-orchestrator-qa' });
    const statements = JSON.stringify(ofServices(roleStatements(other, 'MemberRole')));

    expect(statements).not.toContain(DEPLOYMENT);
    expect(statements).toContain('cache-snapshot-orchestrator-qa');
    expect(ofServices(roleStatements(other, 'MemberRole'))).not.toEqual(
      ofServices(roleStatements(template, 'SchedulerRole')),
    );
  });

  it('narrows them alike with the cache name prefix and tag value', () => {
    const member = instantiate(memberRole, {
      ...given,
      CacheNamePrefix: 'orders-',
      CacheTagValue: 'enabled',
    });

    expect(ofServices(roleStatements(member, 'MemberRole'))).toEqual(
      ofServices(roleStatements(members, 'SchedulerRole')),
    );
  });

  it("grants the scheduler role's S3 statements on the same export buckets, and none without them", () => {
    const exporting = instantiate(memberRole, { ...given, ExportBuckets: EXPORT_BUCKETS });
    const s3 = ofS3(roleStatements(members, 'SchedulerRole'));

    expect(s3.length).toBeGreaterThan(0);
    expect(ofS3(roleStatements(exporting, 'MemberRole'))).toEqual(s3);
    expect(ofS3(roleStatements(instantiate(memberRole, given), 'MemberRole'))).toEqual([]);
  });

  it('covers what policy sync and reconcile do with ElastiCache', () => {
    const scheduler = JSON.stringify(ofServices(roleStatements(template, 'SchedulerRole')));
    for (const roleId of ['PolicySyncRole', 'ReconcileRole']) {
      for (const statement of ofServices(roleStatements(template, roleId))) {
        expect(scheduler, roleId).toContain(JSON.stringify(statement));
      }
    }
  });
});
