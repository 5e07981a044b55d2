/**
 * The one table from S3 fault names to fault classes: nothing else in the code base knows these names.
 * Throttling (`SlowDown` is a 503), 5xx and network failures are `transient` (lib/adapters/transport-faults).
 */
import { errorParts, isTransportFault } from '#lib/adapters/transport-faults';
import { AssumeRoleError, type FaultClass, ObjectStoreError } from '#lib/errors';

const FAULT_CLASSES: Readonly<Record<string, FaultClass>> = {
  NoSuchBucket: 'not-found',
  NoSuchKey: 'not-found',
  NoSuchUpload: 'not-found',
  /** HeadObject's answer for a missing key (or bucket): a HEAD response has no body to name the fault. */
  NotFound: 'not-found',
  AccessDenied: 'terminal',
};

/**
 * Classifies any error of an S3 call about `bucket` (and `key`) into an ObjectStoreError: missing bucket,
 * key or multipart upload `not-found`; throttling, 5xx and network `transient`; access denied and everything
 * else `terminal`; a member role that could not be assumed for the client's credentials keeps its
 * `AssumeRoleFailed` code and class. The code is S3's (or the Node error code of a network error); the message names the
 * bucket (and key), so a run's recorded reason says where it failed.
 */
export function classifyS3Error(err: unknown, bucket: string, key?: string): ObjectStoreError {
  if (err instanceof ObjectStoreError) return err;
  const where = key === undefined ? `bucket "${bucket}"` : `bucket "${bucket}", key "${key}"`;
  // The member role of the bucket's account could not be assumed (the client's credentials): its code and class.
  if (err instanceof AssumeRoleError) {
    return new ObjectStoreError(err.code, err.faultClass, bucket, `${err.code} on ${where}: ${err.message}`, {
      cause: err,
    });
  }
  const parts = errorParts(err);
  const faultClass = FAULT_CLASSES[parts.code] ?? (isTransportFault(parts) ? 'transient' : 'terminal');
  return new ObjectStoreError(parts.code, faultClass, bucket, `${parts.code} on ${where}: ${parts.message}`, {
    cause: err,
    httpStatus: parts.httpStatus,
  });
}
