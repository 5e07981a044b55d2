// The deploy parameter `exportBuckets` as IAM resources, for serverless.yml (`${file(./scripts/export-buckets.cjs):…}`).
// CloudFormation cannot map a list to ARNs (Fn::Join takes no function as its delimiter), so the Framework's
// variable resolution does it at package time: one ARN per bucket named, each with the template's partition.

/** The bucket names of the parameter: separated by commas, spaces around them ignored, empty entries dropped. */
async function bucketNames({ resolveVariable }) {
  const value = String((await resolveVariable('param:exportBuckets')) ?? '');
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    // The shape of any S3 bucket name; the policy's export.bucket is checked against S3's full rules.
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
      throw new Error(
        `exportBuckets: "${name}" is not an S3 bucket name (give names, not ARNs, separated by commas)`,
      );
    }
  }
  return names;
}

const arn = (resource) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${resource}` });

module.exports = {
  /** The buckets themselves: GetBucketLocation, ListBucket. */
  bucketArns: async (context) => (await bucketNames(context)).map((name) => arn(name)),
  /** Every object in them: get, put, tag, delete, multipart copy. */
  objectArns: async (context) => (await bucketNames(context)).map((name) => arn(`${name}/*`)),
};
