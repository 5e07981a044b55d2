import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const exportBuckets: {
  bucketArns(context: { resolveVariable(name: string): Promise<unknown> }): Promise<unknown[]>;
  objectArns(context: { resolveVariable(name: string): Promise<unknown> }): Promise<unknown[]>;
} = require('../../scripts/export-buckets.cjs');

// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not JavaScript
const S3_ARN = 'arn:${AWS::Partition}:s3:::';

const withParam = (value: string) => ({
  resolveVariable: async (name: string) => (name === 'param:exportBuckets' ? value : undefined),
});

describe('the exportBuckets deploy parameter, as IAM resources (scripts/export-buckets.cjs)', () => {
  it('makes one bucket ARN and one object ARN per name, with the partition of the template', async () => {
    expect(await exportBuckets.bucketArns(withParam(' orders-x ,orders-dr.eu,'))).toEqual([
      { 'Fn::Sub': `${S3_ARN}orders-x` },
      { 'Fn::Sub': `${S3_ARN}orders-dr.eu` },
    ]);
    expect(await exportBuckets.objectArns(withParam('orders-x'))).toEqual([
      { 'Fn::Sub': `${S3_ARN}orders-x/*` },
    ]);
  });

  it('makes none of an empty parameter', async () => {
    expect(await exportBuckets.bucketArns(withParam(''))).toEqual([]);
  });

  it('refuses an ARN or a name S3 would not take, so the package fails instead of granting something else', async () => {
    await expect(exportBuckets.bucketArns(withParam('arn:aws:s3:::orders-x'))).rejects.toThrow(
      'exportBuckets: "arn:aws:s3:::orders-x" is not an S3 bucket name',
    );
    await expect(exportBuckets.objectArns(withParam('Orders_X'))).rejects.toThrow('is not an S3 bucket name');
  });
});
