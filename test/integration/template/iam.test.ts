import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUE_INDEX } from '#lib/adapters/dynamodb/policy-store';
import { OPEN_INDEX } from '#lib/adapters/dynamodb/run-store';
import { TARGETS_DUE_INDEX } from '#lib/adapters/dynamodb/target-table';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import { FUNCTIONS, functionFacts } from './functions';
import { copyService, packageService, type ServiceCopy } from './service-copy';
import {
  allStatements,
  type CfnTemplate,
  type PolicyStatement,
  propertiesOf,
  RESOURCE_LESS_ACTIONS,
  referenceOf,
  renderTemplate,
  resourcesOfType,
  roleStatements,
} from './template-reader';

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
/** This account in any region: a policy may name another region of the orchestrator's own account. */
const ACCOUNT_ARN = 'arn:${AWS::Partition}:elasticache:*:${AWS::AccountId}';
const KMS_KEYS_ARN = 'arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*';
const VIA_ELASTICACHE = [
  { 'Fn::Sub': 'elasticache.*.${AWS::URLSuffix}' },
  { 'Fn::Sub': 'dax.*.${AWS::URLSuffix}' },
];
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
/** The names the orchestrator gives snapshots: <prefix>-<yyyymmdd>-<hhmm>-<8 hex>. */
const OUR_NAMES = '*-????????-????-????????';
/** The deployment the packaged template is for (serverless package's default stage). */
const DEPLOYMENT = 'cache-snapshot-orchestrator-dev';
const READ_VERBS = /^(Describe|List|Get|BatchGet|Query|Scan)/;
/** The deployment's identity: the stack name of the packaged (dev) stage. */
const STACK = 'cache-snapshot-orchestrator-dev';

/** Read-only by its verb; anything with a wildcard counts as a write. */
function isWriteAction(action: string): boolean {
  const [, verb = ''] = action.split(':');
  return action.includes('*') || !READ_VERBS.test(verb);
}

/** Actions of `service` by resource reference (sorted), over the Allow statements. */
function actionsByResource(
  statements: readonly PolicyStatement[],
  service: string,
): Record<string, string[]> {
  const byResource: Record<string, Set<string>> = {};
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    const actions = statement.Action.filter((action) => action.startsWith(`${service}:`));
    for (const resource of statement.Resource) {
      const key = referenceOf(resource);
      byResource[key] ??= new Set();
      for (const action of actions) byResource[key].add(action);
    }
  }
  return Object.fromEntries(
    Object.entries(byResource)
      .filter(([, actions]) => actions.size > 0)
      .map(([key, actions]) => [key, [...actions].sort()]),
  );
}

function statementsWith(template: CfnTemplate, roleId: string, action: string): PolicyStatement[] {
  return roleStatements(template, roleId).filter((statement) => statement.Action.includes(action));
}

let service: ServiceCopy;
let template: CfnTemplate;
let restricted: CfnTemplate;

beforeAll(async () => {
  service = await copyService();
  template = renderTemplate((await packageService(service)).template);
  const params = { cacheNamePrefix: 'orders-', cacheTagValue: 'enabled' };
  restricted = renderTemplate((await packageService(service, { params })).template);
}, 180_000);

afterAll(async () => {
  await service?.remove();
});

describe('IAM in the packaged template', () => {
  it('gives each function a role of its own and creates no shared default role', () => {
    const roles = FUNCTIONS.map(
      (fn) => propertiesOf(template, fn.functionId, 'AWS::Lambda::Function').Role as unknown,
    );

    expect(roles).toEqual(FUNCTIONS.map((fn) => ({ 'Fn::GetAtt': [fn.roleId, 'Arn'] })));
    expect(resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id)).toEqual(
      expect.arrayContaining(FUNCTIONS.map((fn) => fn.roleId)),
    );
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('lets only Lambda assume the roles', () => {
    for (const fn of FUNCTIONS) {
      const trust = propertiesOf(template, fn.roleId, 'AWS::IAM::Role').AssumeRolePolicyDocument;

      expect(trust).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
    }
  });

  it.each([
    ['default', () => template],
    ['restricted', () => restricted],
  ])(
    'allows nothing on "*" but EC2 reads without resource-level permissions, no wildcard actions and no Not* elements (%s parameters)',
    (_, read) => {
      const statements = allStatements(read());

      expect(statements.length).toBeGreaterThan(0);
      for (const { owner, statement } of statements) {
        const where = `${owner} ${statement.Sid ?? ''}`;
        expect(statement.Effect, where).toBe('Allow');
        if (statement.Resource.includes('*')) {
          expect(statement.Resource, where).toEqual(['*']);
          for (const action of statement.Action) expect(RESOURCE_LESS_ACTIONS, where).toContain(action);
        }
        expect(statement.NotAction, where).toBeUndefined();
        expect(statement.NotResource, where).toBeUndefined();
        for (const action of statement.Action) expect(action, where).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    },
  );

  it('scopes every write action to this stack, to this account (ElastiCache, EC2, KMS: in any region) or to this account and region', () => {
    for (const { owner, statement } of allStatements(template)) {
      if (!statement.Action.some(isWriteAction)) continue;
      for (const resource of statement.Resource) {
        const reference = referenceOf(resource);
        const where = `${owner} ${statement.Sid ?? ''}: ${reference}`;
        if (/^arn:\$\{AWS::Partition\}:(elasticache|ec2|kms):/.test(reference)) {
          expect(reference, where).toMatch(/^arn:\$\{AWS::Partition\}:[a-z0-9]+:\*:\$\{AWS::AccountId\}:/);
        } else if (reference.startsWith('arn:')) {
          expect(reference, where).toMatch(
            /^arn:\$\{AWS::Partition\}:[a-z0-9]+:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/,
          );
        } else {
          expect(template.Resources[reference.split('/')[0] ?? ''], where).toBeDefined();
        }
      }
    }
  });

  it('names this account in any region, never only the stack’s, in every ElastiCache, EC2 and KMS statement and condition', () => {
    const services = /^(elasticache|ec2|kms):/;
    const regional = allStatements(template).filter(
      ({ statement }) =>
        statement.Action.some((action) => services.test(action)) &&
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder
        JSON.stringify([statement.Resource, statement.Condition ?? {}]).includes('${AWS::Region}'),
    );

    expect(regional.map(({ owner, statement }) => `${owner} ${statement.Sid}`)).toEqual([]);
    expect(
      statementsWith(template, 'SchedulerRole', 'elasticache:CreateServerlessCacheSnapshot'),
    ).not.toEqual([]);
  });

  it('lets each function write only to its own log group', () => {
    for (const fn of FUNCTIONS) {
      const logs = actionsByResource(roleStatements(template, fn.roleId), 'logs');

      expect(logs).toEqual({ [fn.logGroupId]: ['logs:CreateLogStream', 'logs:PutLogEvents'] });
    }
  });

  it.each([
    [
      'scheduler',
      {
        PoliciesTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
        [`PoliciesTable/index/${DUE_INDEX}`]: ['dynamodb:Query'],
        RunsTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        [`RunsTable/index/${OPEN_INDEX}`]: ['dynamodb:Query'],
        TargetsTable: ['dynamodb:UpdateItem'],
        [`TargetsTable/index/${TARGETS_DUE_INDEX}`]: ['dynamodb:Query'],
      },
    ],
    [
      'policySync',
      {
        PoliciesTable: ['dynamodb:UpdateItem'],
        'PoliciesTable/stream': [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        TargetsTable: ['dynamodb:Query', 'dynamodb:UpdateItem'],
      },
    ],
    [
      'reconcile',
      {
        PoliciesTable: ['dynamodb:Scan', 'dynamodb:UpdateItem'],
        // The GONE check (Query, PutItem); starting due restore tests: the record's conditional create, the
        // one a lost create met (GetItem), those in flight (the open index).
        RunsTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        [`RunsTable/index/${OPEN_INDEX}`]: ['dynamodb:Query'],
        TargetsTable: ['dynamodb:Query', 'dynamodb:UpdateItem'],
      },
    ],
  ])('gives %s exactly the table actions its code uses', (name, expected) => {
    const statements = roleStatements(template, functionFacts(name).roleId);

    expect(actionsByResource(statements, 'dynamodb')).toEqual(expected);
  });

  it.each(FUNCTIONS.map((fn) => [fn.name, fn.roleId]))(
    'grants %s no action on a resource twice, in two unconditional statements',
    (_name, roleId) => {
      const granted = new Map<string, string>();
      const twice: string[] = [];
      for (const statement of roleStatements(template, roleId)) {
        if (statement.Effect !== 'Allow' || statement.Condition !== undefined) continue;
        for (const action of statement.Action) {
          for (const resource of statement.Resource) {
            const grant = `${action} on ${referenceOf(resource)}`;
            const first = granted.get(grant);
            if (first !== undefined) twice.push(`${grant}: ${first} and ${statement.Sid}`);
            else granted.set(grant, String(statement.Sid));
          }
        }
      }

      expect(twice).toEqual([]);
    },
  );

  it('lets policy sync describe caches and read their tags, reconcile also describe snapshots, and only the scheduler change them', () => {
    const byFunction = (name: string) =>
      actionsByResource(roleStatements(template, functionFacts(name).roleId), 'elasticache');

    expect(byFunction('policySync')).toEqual({
      [`${ACCOUNT_ARN}:serverlesscache:*`]: [
        'elasticache:DescribeServerlessCaches',
        'elasticache:ListTagsForResource',
      ],
    });
    expect(byFunction('reconcile')).toEqual({
      [`${ACCOUNT_ARN}:serverlesscache:*`]: [
        'elasticache:DescribeServerlessCacheSnapshots',
        'elasticache:DescribeServerlessCaches',
        'elasticache:ListTagsForResource',
      ],
      [`${ACCOUNT_ARN}:serverlesscachesnapshot:*`]: ['elasticache:DescribeServerlessCacheSnapshots'],
    });
    expect(byFunction('scheduler')).toEqual({
      [`${ACCOUNT_ARN}:serverlesscache:*`]: [
        'elasticache:CreateServerlessCacheSnapshot',
        'elasticache:DescribeServerlessCacheSnapshots',
        'elasticache:DescribeServerlessCaches',
        'elasticache:ListTagsForResource',
      ],
      [`${ACCOUNT_ARN}:serverlesscache:rt-*`]: [
        'elasticache:AddTagsToResource',
        'elasticache:CreateServerlessCache',
        'elasticache:DeleteServerlessCache',
      ],
      [`${ACCOUNT_ARN}:serverlesscachesnapshot:*`]: [
        'elasticache:DescribeServerlessCacheSnapshots',
        'elasticache:ListTagsForResource',
      ],
      [`${ACCOUNT_ARN}:serverlesscachesnapshot:${OUR_NAMES}`]: [
        'elasticache:AddTagsToResource',
        'elasticache:CreateServerlessCache',
        'elasticache:CreateServerlessCacheSnapshot',
        'elasticache:DeleteServerlessCacheSnapshot',
        'elasticache:ExportServerlessCacheSnapshot',
      ],
    });
  });

  it('creates and tags on create only with the managed-by and this deployment’s tags in the request', () => {
    const [create, ...others] = statementsWith(
      template,
      'SchedulerRole',
      'elasticache:CreateServerlessCacheSnapshot',
    ).filter((statement) => statement.Resource.map(referenceOf).some((arn) => arn.includes('snapshot:')));

    expect(others).toEqual([]);
    expect(create?.Action.sort()).toEqual([
      'elasticache:AddTagsToResource',
      'elasticache:CreateServerlessCacheSnapshot',
    ]);
    expect(create?.Condition).toEqual({
      StringEquals: {
        [`aws:RequestTag/${MANAGED_TAGS.managedBy}`]: MANAGED_BY_VALUE,
        [`aws:RequestTag/${MANAGED_TAGS.deployment}`]: DEPLOYMENT,
      },
    });
  });

  it('tags an existing snapshot only with this deployment’s tag alone, on an orchestrator snapshot that has none yet', () => {
    const tagging = statementsWith(template, 'SchedulerRole', 'elasticache:AddTagsToResource');
    const [adopt, ...others] = tagging.filter((statement) => statement.Action.length === 1);

    expect(others).toEqual([]);
    expect(adopt?.Resource.map(referenceOf)).toEqual([`${ACCOUNT_ARN}:serverlesscachesnapshot:${OUR_NAMES}`]);
    expect(adopt?.Condition).toEqual({
      StringEquals: {
        [`aws:RequestTag/${MANAGED_TAGS.deployment}`]: DEPLOYMENT,
        [`aws:ResourceTag/${MANAGED_TAGS.managedBy}`]: MANAGED_BY_VALUE,
      },
      'ForAllValues:StringEquals': { 'aws:TagKeys': [MANAGED_TAGS.deployment] },
      Null: { [`aws:ResourceTag/${MANAGED_TAGS.deployment}`]: 'true' },
    });
  });

  it('deletes only snapshots with an orchestrator name that carry managed-by and this deployment’s tag', () => {
    const [deletion, ...others] = statementsWith(
      template,
      'SchedulerRole',
      'elasticache:DeleteServerlessCacheSnapshot',
    );

    expect(others).toEqual([]);
    expect(deletion?.Action).toEqual(['elasticache:DeleteServerlessCacheSnapshot']);
    expect(deletion?.Resource.map(referenceOf)).toEqual([
      `${ACCOUNT_ARN}:serverlesscachesnapshot:${OUR_NAMES}`,
    ]);
    expect(deletion?.Condition).toEqual({
      StringEquals: {
        [`aws:ResourceTag/${MANAGED_TAGS.managedBy}`]: MANAGED_BY_VALUE,
        [`aws:ResourceTag/${MANAGED_TAGS.deployment}`]: DEPLOYMENT,
      },
    });
  });

  it('gives every function the deployment name, the stack name, as DEPLOYMENT_NAME', () => {
    for (const fn of FUNCTIONS) {
      const environment = propertiesOf(template, fn.functionId, 'AWS::Lambda::Function').Environment as {
        Variables: Record<string, unknown>;
      };

      expect(environment.Variables.DEPLOYMENT_NAME).toBe(DEPLOYMENT);
    }
  });

  it('uses customer managed keys only through ElastiCache (elasticache and dax), granting only to AWS resources, and only in the scheduler', () => {
    const describe = statementsWith(template, 'SchedulerRole', 'kms:DescribeKey');
    const grant = statementsWith(template, 'SchedulerRole', 'kms:CreateGrant');

    expect(describe).toHaveLength(1);
    expect(grant).toHaveLength(1);
    expect(describe[0]?.Action).toEqual(['kms:DescribeKey']);
    expect(grant[0]?.Action).toEqual(['kms:CreateGrant']);
    expect([...(describe[0]?.Resource ?? []), ...(grant[0]?.Resource ?? [])].map(referenceOf)).toEqual([
      KMS_KEYS_ARN,
      KMS_KEYS_ARN,
    ]);
    expect(describe[0]?.Condition).toEqual({ StringLike: { 'kms:ViaService': VIA_ELASTICACHE } });
    expect(grant[0]?.Condition).toEqual({
      StringLike: { 'kms:ViaService': VIA_ELASTICACHE },
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    });
    for (const { owner, statement } of allStatements(template)) {
      if (owner !== 'SchedulerRole')
        expect(statement.Action.some((action) => action.startsWith('kms:'))).toBe(false);
    }
  });

  it('grants no S3 action at all without the exportBuckets parameter', () => {
    const s3Actions = allStatements(template).flatMap(({ statement }) =>
      statement.Action.filter((action) => action.startsWith('s3:')),
    );

    expect(s3Actions).toEqual([]);
  });

  it('lets each function send only to its own dead-letter queue', () => {
    const queues = Object.fromEntries(
      FUNCTIONS.map((fn) => [fn.name, actionsByResource(roleStatements(template, fn.roleId), 'sqs')]),
    );

    expect(queues).toEqual({
      scheduler: { InvocationFailuresQueue: ['sqs:SendMessage'] },
      policySync: { PolicyStreamFailuresQueue: ['sqs:SendMessage'] },
      reconcile: { InvocationFailuresQueue: ['sqs:SendMessage'] },
    });
  });

  it('asks no tag on the cache when cacheTagValue is not given', () => {
    const [onCache] = statementsWith(
      template,
      'SchedulerRole',
      'elasticache:CreateServerlessCacheSnapshot',
    ).filter((statement) =>
      statement.Resource.map(referenceOf).some((arn) => arn.includes(':serverlesscache:')),
    );

    expect(onCache?.Condition).toBeUndefined();
  });
});

describe('IAM with the cacheNamePrefix and cacheTagValue parameters', () => {
  it('narrows snapshot creation, tagging, deletion and export to names with the prefix', () => {
    const scheduler = actionsByResource(roleStatements(restricted, 'SchedulerRole'), 'elasticache');

    expect(scheduler[`${ACCOUNT_ARN}:serverlesscache:orders-*`]).toEqual([
      'elasticache:CreateServerlessCacheSnapshot',
    ]);
    expect(scheduler[`${ACCOUNT_ARN}:serverlesscachesnapshot:orders-${OUR_NAMES}`]).toEqual([
      'elasticache:AddTagsToResource',
      'elasticache:CreateServerlessCache',
      'elasticache:CreateServerlessCacheSnapshot',
      'elasticache:DeleteServerlessCacheSnapshot',
      'elasticache:ExportServerlessCacheSnapshot',
    ]);
    const writesOnAll = [
      ...(scheduler[`${ACCOUNT_ARN}:serverlesscache:*`] ?? []),
      ...(scheduler[`${ACCOUNT_ARN}:serverlesscachesnapshot:*`] ?? []),
    ].filter(isWriteAction);
    expect(writesOnAll).toEqual([]);
  });

  it('creates snapshots only of caches tagged snapshot-orchestrator with the given value', () => {
    const [onCache] = statementsWith(
      restricted,
      'SchedulerRole',
      'elasticache:CreateServerlessCacheSnapshot',
    ).filter((statement) =>
      statement.Resource.map(referenceOf).some((arn) => arn.includes(':serverlesscache:')),
    );

    expect(onCache?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/snapshot-orchestrator': 'enabled' },
    });
  });
});

describe('IAM for restore tests: no cache but its own scratch caches is ever created or deleted', () => {
  /** Every Allow statement of any role or policy granting `action`. */
  const granting = (action: string) =>
    allStatements(template).filter(({ statement }) => statement.Action.includes(action));
  const resourcesOf = (statement: PolicyStatement) => statement.Resource.map(referenceOf);

  it('lets only the scheduler create or delete serverless caches', () => {
    const owners = [
      ...granting('elasticache:CreateServerlessCache'),
      ...granting('elasticache:DeleteServerlessCache'),
    ].map(({ owner }) => owner);

    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(['SchedulerRole']));
  });

  it("creates a cache only with this stack's restore-test tag in the request, and only named rt-*", () => {
    const statements = granting('elasticache:CreateServerlessCache');

    expect(statements.length).toBeGreaterThan(0);
    for (const { statement } of statements) {
      expect(statement.Condition?.StringEquals?.['aws:RequestTag/snapshot-orchestrator-restore-test']).toBe(
        STACK,
      );
      for (const resource of resourcesOf(statement)) {
        expect(resource).toMatch(/:serverlesscache:rt-\*$|:serverlesscachesnapshot:/);
      }
    }
  });

  it('tags caches on creation only under the same condition', () => {
    const onCaches = granting('elasticache:AddTagsToResource').filter(({ statement }) =>
      resourcesOf(statement).some((resource) => resource.includes(':serverlesscache:')),
    );

    expect(onCaches.length).toBeGreaterThan(0);
    for (const { statement } of onCaches) {
      expect(resourcesOf(statement)).toEqual([`${ACCOUNT_ARN}:serverlesscache:rt-*`]);
      expect(statement.Condition).toEqual({
        StringEquals: { 'aws:RequestTag/snapshot-orchestrator-restore-test': STACK },
      });
    }
  });

  it("restores only snapshots tagged as this deployment's", () => {
    const fromSnapshots = granting('elasticache:CreateServerlessCache').filter(({ statement }) =>
      resourcesOf(statement).some((resource) => resource.includes(':serverlesscachesnapshot:')),
    );

    expect(fromSnapshots).toHaveLength(1);
    expect(fromSnapshots[0]?.statement.Condition).toEqual({
      StringEquals: {
        'aws:RequestTag/snapshot-orchestrator-restore-test': STACK,
        'aws:ResourceTag/snapshot-orchestrator-deployment': STACK,
      },
    });
  });

  it("deletes only caches named rt-* that carry managed-by and this stack's restore-test tag", () => {
    const deletions = granting('elasticache:DeleteServerlessCache');

    expect(deletions).toHaveLength(1);
    const [{ statement } = { statement: undefined }] = deletions;
    expect(statement?.Action).toEqual(['elasticache:DeleteServerlessCache']);
    expect(statement && resourcesOf(statement)).toEqual([`${ACCOUNT_ARN}:serverlesscache:rt-*`]);
    expect(statement?.Condition).toEqual({
      StringEquals: {
        'aws:ResourceTag/snapshot-orchestrator-restore-test': STACK,
        [`aws:ResourceTag/${MANAGED_TAGS.managedBy}`]: MANAGED_BY_VALUE,
      },
    });
  });

  it("creates only ElastiCache Serverless VPC endpoints, tagged as ElastiCache's on creation, and deletes none", () => {
    const endpoints = granting('ec2:CreateVpcEndpoint').filter(({ statement }) =>
      resourcesOf(statement).some((resource) => resource.endsWith(':vpc-endpoint/*')),
    );
    const tagging = granting('ec2:CreateTags');

    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]?.statement.Condition).toEqual({
      StringLike: { 'ec2:VpceServiceName': 'com.amazonaws.elasticache.serverless.*' },
    });
    expect(tagging).toHaveLength(1);
    expect(tagging[0]?.statement.Condition).toEqual({
      StringEquals: {
        'ec2:CreateAction': 'CreateVpcEndpoint',
        'aws:RequestTag/AmazonElastiCacheManaged': 'true',
      },
    });
    expect(granting('ec2:DeleteVpcEndpoints')).toEqual([]);
    const ec2Writes = allStatements(template)
      .flatMap(({ statement }) => statement.Action)
      .filter((action) => action.startsWith('ec2:') && isWriteAction(action));
    expect(new Set(ec2Writes)).toEqual(new Set(['ec2:CreateVpcEndpoint', 'ec2:CreateTags']));
  });
});
