import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_TAGS } from '#lib/exports/export-objects';
import { FUNCTIONS, functionFacts } from './functions';
import { copyService, packageService, type ServiceCopy } from './service-copy';
import {
  allStatements,
  type CfnTemplate,
  type PolicyStatement,
  referenceOf,
  renderTemplate,
  roleStatements,
} from './template-reader';

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
const S3_ARN = 'arn:${AWS::Partition}:s3:::';
const SNAPSHOTS_ARN = 'arn:${AWS::Partition}:elasticache:*:${AWS::AccountId}:serverlesscachesnapshot:';
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
const BUCKETS = ['orders-exports', 'orders-dr.eu'];

/** S3 actions by resource reference, over the Allow statements. */
function s3Grants(statements: readonly PolicyStatement[]): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of statements) {
    const actions = statement.Action.filter((action) => action.startsWith('s3:'));
    if (statement.Effect !== 'Allow' || actions.length === 0) continue;
    for (const resource of statement.Resource) {
      const key = referenceOf(resource);
      grants[key] = [...(grants[key] ?? []), ...actions].sort();
    }
  }
  return grants;
}

let service: ServiceCopy;
let template: CfnTemplate;

beforeAll(async () => {
  service = await copyService();
  const params = { exportBuckets: ` ${BUCKETS.join(' , ')} `, exportRpoThresholdHours: '30' };
  template = renderTemplate((await packageService(service, { params })).template);
}, 180_000);

afterAll(async () => {
  await service?.remove();
});

describe('IAM for exports, with the exportBuckets parameter', () => {
  it("lets the scheduler export only this deployment's snapshots, by their orchestrator name and deployment tag", () => {
    const exports = roleStatements(template, 'SchedulerRole').filter((statement) =>
      statement.Action.includes('elasticache:ExportServerlessCacheSnapshot'),
    );

    expect(exports).toHaveLength(1);
    expect(exports[0]?.Action).toEqual(['elasticache:ExportServerlessCacheSnapshot']);
    expect(exports[0]?.Resource.map(referenceOf)).toEqual([`${SNAPSHOTS_ARN}*-????????-????-????????`]);
    expect(exports[0]?.Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/${EXPORT_TAGS.deployment}`]: 'cache-snapshot-orchestrator-dev' },
    });
  });

  it('gives the scheduler exactly the S3 calls of lib/adapters/s3, on the named buckets and their objects only', () => {
    const objectActions = [
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:GetObjectTagging',
      's3:ListMultipartUploadParts',
      's3:PutObject',
      's3:PutObjectTagging',
    ];

    expect(s3Grants(roleStatements(template, 'SchedulerRole'))).toEqual({
      ...Object.fromEntries(
        BUCKETS.map((bucket) => [`${S3_ARN}${bucket}`, ['s3:GetBucketLocation', 's3:ListBucket']]),
      ),
      ...Object.fromEntries(BUCKETS.map((bucket) => [`${S3_ARN}${bucket}/*`, objectActions])),
      [`${S3_ARN}*`]: ['s3:ListAllMyBuckets'],
    });
  });

  it('lets policy sync and reconcile only locate the named buckets, for the write-time checks', () => {
    for (const name of ['policySync', 'reconcile']) {
      expect(s3Grants(roleStatements(template, functionFacts(name).roleId)), name).toEqual(
        Object.fromEntries(BUCKETS.map((bucket) => [`${S3_ARN}${bucket}`, ['s3:GetBucketLocation']])),
      );
    }
  });

  it('grants no s3:* and no S3 action on "*"; the only grant on every bucket is ListAllMyBuckets, which lists names', () => {
    const s3Statements = allStatements(template).filter(({ statement }) =>
      statement.Action.some((action) => action.startsWith('s3:')),
    );

    expect(s3Statements.length).toBeGreaterThan(0);
    for (const { owner, statement } of s3Statements) {
      const where = `${owner} ${statement.Sid ?? ''}`;
      expect(statement.Resource, where).not.toContain('*');
      expect(statement.Action, where).not.toContain('s3:*');
      const everyBucket = statement.Resource.map(referenceOf).includes(`${S3_ARN}*`);
      if (everyBucket) expect(statement.Action, where).toEqual(['s3:ListAllMyBuckets']);
    }
    expect(FUNCTIONS.map((fn) => fn.roleId)).toContain('SchedulerRole');
  });
});

describe('the export alarm', () => {
  it('watches the worst destination of ExportRecoveryPointAgeHours against the exportRpoThresholdHours parameter', () => {
    const alarm = template.Resources.ExportRecoveryPointAlarm?.Properties;

    expect(Number(alarm?.Threshold)).toBe(30);
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: [
        {
          Id: 'worst',
          Expression:
            'SELECT MAX(ExportRecoveryPointAgeHours) FROM SCHEMA(CacheSnapshotOrchestrator, destination, service)',
          Period: 3600,
          ReturnData: true,
        },
      ],
    });
  });
});
