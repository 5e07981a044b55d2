/**
 * ExportServerlessCacheSnapshot's faults. Its model names four (ServerlessCacheSnapshotNotFoundFault,
 * InvalidServerlessCacheSnapshotStateFault, ServiceLinkedRoleNotFoundFault, InvalidParameterValue: botocore,
 * data/elasticache/2015-02-02/service-2.json, "ExportServerlessCacheSnapshot"); every refusal about the bucket
 * comes as InvalidParameterValue, told apart by its message, as the CopySnapshot API reference lists them for
 * exports ("The S3 bucket %s does not exist.", "… is outside of the region.", "ElastiCache has not been
 * granted WRITE permissions %s on the S3 Bucket.", "The S3 bucket %s already contains an object with key %s.").
 */
import { SnapshotServiceError } from '#lib/errors';
import { classifyElastiCacheError } from './classify-error';

/** The refusal that means an earlier export of the snapshot already wrote its object there. */
const OBJECT_ALREADY_THERE = /already contains an object with key/i;

/**
 * Classifies an error of ExportServerlessCacheSnapshot to `bucket` like any ElastiCache fault (a snapshot
 * not `available` is `busy`, a missing one `not-found`), with its bucket refusals: the object already there
 * is `already-exists`, any other (missing bucket, wrong region, write not granted) `terminal`. The code stays
 * the service's; the message of a refusal always names the bucket.
 */
export function classifyExportError(err: unknown, bucket: string): SnapshotServiceError {
  const fault = classifyElastiCacheError(err);
  if (fault.code !== 'InvalidParameterValue') return fault;
  const faultClass = OBJECT_ALREADY_THERE.test(fault.message) ? 'already-exists' : 'terminal';
  return new SnapshotServiceError(
    fault.code,
    faultClass,
    `Export to S3 bucket "${bucket}" refused: ${fault.message}`,
    {
      cause: err,
      httpStatus: fault.httpStatus,
    },
  );
}
