import * as z from 'zod';
import type { PolicyIssue } from '#lib/errors';
import { checkWithSchema, describeType, mustBe, quote } from './attribute-checks';
import { checkRetention } from './check-retention';
import type { ExportRule } from './types';

/** Export every snapshot of a target, by default. */
export const DEFAULT_EXPORT_EVERY = 1;
/** A year of hourly snapshots: a larger `every` would never export anything within a year. */
export const MAX_EXPORT_EVERY = 8784;

/**
 * An AWS Region code of any partition: the `regionRegex` of every partition in the AWS SDK's endpoint data
 * (@aws-sdk/core, client/util-endpoints/lib/aws/partitions.js), joined, with lowercase letters for `\w`.
 */
export const AWS_REGION_PATTERN =
  /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|us-isof|eu-isoe|eusc-de)-[a-z]+-\d+$/;

/**
 * S3's rules for a general purpose bucket's name (Amazon S3 User Guide, "General purpose bucket naming
 * rules": https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), with ElastiCache's
 * own on top: each part between periods begins and ends with a letter or digit ("Exporting a backup", step 1:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-exporting.html). Each rule is its message.
 */
const BUCKET_NAME_RULES: readonly [(name: string) => boolean, string][] = [
  [(name) => name.length >= 3 && name.length <= 63, 'must be 3 to 63 characters long'],
  [(name) => /^[a-z0-9.-]+$/.test(name), 'may hold only lowercase letters, digits, periods and hyphens'],
  [
    (name) => name.split('.').every((part) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(part)),
    'must begin and end with a letter or digit, and so must each part between periods',
  ],
  [(name) => !/^\d+\.\d+\.\d+\.\d+$/.test(name), 'must not be formatted as an IP address'],
  [
    (name) => !['xn--', 'sthree-', 'amzn-s3-demo-'].some((prefix) => name.startsWith(prefix)),
    'must not start with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)',
  ],
  [
    (name) => !['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((end) => name.endsWith(end)),
    'must not end with a suffix S3 reserves (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
  ],
];

/** A string member that must be present: "is required" when absent, else "must be a string (found …)". */
const requiredString = () =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? 'is required' : `must be a string (found ${describeType(issue.input)})`,
  });

const bucketName = requiredString().superRefine((name, context) => {
  const broken = BUCKET_NAME_RULES.find(([holds]) => !holds(name));
  if (broken) context.addIssue({ code: 'custom', message: broken[1] });
});

const regionCode = requiredString().regex(AWS_REGION_PATTERN, {
  error: "must be an AWS Region code such as 'eu-west-1'",
});

const replicaSchema = z.strictObject(
  { bucket: bucketName, region: regionCode },
  mustBe("a map such as { bucket: 'my-copies', region: 'eu-west-1' }"),
);

const exportSchema = z.strictObject(
  {
    bucket: bucketName,
    every: z
      .number(mustBe('a number'))
      .int({ error: 'must be a whole number of snapshots' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_EXPORT_EVERY, { error: `must be at most ${MAX_EXPORT_EVERY}` })
      .optional(),
    retention: z.unknown().optional(),
    replicateTo: replicaSchema.optional(),
  },
  mustBe("a map such as { bucket: 'my-exports' }"),
);

/**
 * Checks the optional `export` map (docs/architecture.md, "Exports"): `bucket` required, an S3 bucket name;
 * `every` 1..8784 (default 1); `retention` as the policy's own `retention` (maxCount 1..1000, maxAgeDays
 * 1..3650, minCount default 1), optional: without it exported objects are kept until S3 (a lifecycle rule)
 * or someone else removes them; `replicateTo` optional, `{ bucket, region }` both required, not the export
 * bucket itself. Every issue names the member (`export.replicateTo.bucket: ...`). Whether the buckets exist
 * and where is checked against S3 by checkExportBuckets (lib/exports), not here. Returns undefined both when
 * absent and when broken (the issues tell them apart).
 */
export function checkExport(value: unknown, issues: PolicyIssue[]): ExportRule | undefined {
  if (value === undefined) return undefined;
  const parsed = checkWithSchema(issues, 'export', exportSchema, value);
  if (parsed === undefined) return undefined;
  const before = issues.length;
  const retention = checkRetention(parsed.retention, issues, 'export.retention');
  const replica = parsed.replicateTo;
  if (replica?.bucket === parsed.bucket) {
    issues.push({
      attribute: 'export.replicateTo.bucket',
      message: `must be another bucket than export.bucket (${quote(parsed.bucket)})`,
    });
  }
  if (issues.length > before) return undefined;
  return Object.freeze({
    bucket: parsed.bucket,
    every: parsed.every ?? DEFAULT_EXPORT_EVERY,
    retention,
    replicateTo: replica === undefined ? undefined : Object.freeze({ ...replica }),
  });
}
