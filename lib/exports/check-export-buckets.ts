import type { PolicyIssue } from '#lib/errors';
import type { Policy } from '#lib/policy/types';
import type { BucketLocation, ObjectStore } from './object-store';

/** What the bucket checks need: S3's answer to where a bucket is. */
export interface ExportBucketDeps {
  readonly objects: Pick<ObjectStore, 'locateBucket'>;
}

function whyNotFound(location: Exclude<BucketLocation, { status: 'found' }>, bucket: string): string {
  return location.status === 'missing'
    ? `bucket "${bucket}" does not exist`
    : `the orchestrator may not locate bucket "${bucket}" (${location.code}): name it in the deploy parameter exportBuckets (and, for another account's bucket, allow s3:GetBucketLocation to the scheduler role in its bucket policy)`;
}

/**
 * The checks of a policy's `export` that need S3, for policy sync to run when the policy is written
 * (docs/architecture.md, "Exports"): `export.bucket` exists and is in the cache's region (ElastiCache exports
 * only to a bucket in the snapshot's region), `export.replicateTo.bucket` exists and is in
 * `export.replicateTo.region`. One GetBucketLocation per bucket, both at once. Returns the issues, naming the
 * member, empty when all is well or the policy exports nothing; a transient fault of S3 is thrown, so the
 * caller tries the record again rather than judging it on a failed call.
 */
export async function checkExportBuckets(
  deps: ExportBucketDeps,
  policy: Pick<Policy, 'export'>,
  cacheRegion: string,
): Promise<PolicyIssue[]> {
  const rule = policy.export;
  if (rule === undefined) return [];
  const replica = rule.replicateTo;
  const [main, copy] = await Promise.all([
    deps.objects.locateBucket(rule.bucket, cacheRegion),
    replica === undefined ? undefined : deps.objects.locateBucket(replica.bucket, replica.region),
  ]);
  const issues: PolicyIssue[] = [];
  if (main.status !== 'found') {
    issues.push({ attribute: 'export.bucket', message: whyNotFound(main, rule.bucket) });
  } else if (main.region !== cacheRegion) {
    issues.push({
      attribute: 'export.bucket',
      message: `bucket "${rule.bucket}" is in ${main.region}, not in the cache's region ${cacheRegion} (ElastiCache exports only to a bucket in the snapshot's region)`,
    });
  }
  if (replica !== undefined && copy !== undefined) {
    if (copy.status !== 'found') {
      issues.push({ attribute: 'export.replicateTo.bucket', message: whyNotFound(copy, replica.bucket) });
    } else if (copy.region !== replica.region) {
      issues.push({
        attribute: 'export.replicateTo.region',
        message: `bucket "${replica.bucket}" is in ${copy.region}, not in ${replica.region}`,
      });
    }
  }
  return issues;
}
