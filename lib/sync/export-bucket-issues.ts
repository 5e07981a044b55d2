import type { PolicyIssue } from '#lib/errors';
import { checkExportBuckets, type ExportBucketDeps } from '#lib/exports/check-export-buckets';
import { type ExportContext, objectsOf } from '#lib/exports/deps';
import type { Policy } from '#lib/policy/types';

/** What policy sync needs to check export buckets: S3, and the region of the policy's caches. */
export interface ExportCheckDeps extends ExportBucketDeps {
  /** S3 on the credentials of a policy's account (lib/exports/deps.ts, `objectsIn`); absent: `objects`. */
  readonly objectsIn?: ExportContext['objectsIn'];
  /** The orchestrator's own region: that of the caches of a policy that names no `region`. */
  readonly region: string;
}

/**
 * The issues of the policy's export buckets (lib/exports/check-export-buckets.ts), `export.bucket` judged
 * against the policy's region (its caches', so its snapshots'), each naming
 * `export.bucket` or `export.replicateTo.bucket`; none when the policy exports nothing or S3 is not given
 * (a caller that cannot reach S3, e.g. a test of schedules only). A transient fault of S3 is thrown: the
 * record is synced again rather than judged on a failed call.
 */
export async function exportBucketIssues(
  deps: ExportCheckDeps | undefined,
  policy: Pick<Policy, 'export' | 'account' | 'region'>,
): Promise<PolicyIssue[]> {
  if (deps === undefined || policy.export === undefined) return [];
  const objects = objectsOf(deps, policy);
  return checkExportBuckets({ objects }, policy, policy.region ?? deps.region);
}
