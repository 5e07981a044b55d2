/**
 * STS faults translated at the edge: nothing above this adapter knows STS's error names. A failed
 * AssumeRole becomes an AssumeRoleError (code `AssumeRoleFailed`, STS's own code kept as `stsCode`).
 */
import { errorParts, isTransportFault } from '#lib/adapters/transport-faults';
import { AssumeRoleError, SnapshotServiceError } from '#lib/errors';

/**
 * Any failure of an STS call as a SnapshotServiceError: `transient` when the way failed (throttling,
 * HTTP 5xx, network), `terminal` otherwise (STS refused: AccessDenied, RegionDisabledException,
 * ExpiredTokenException, ValidationError, …). The code is STS's error code.
 */
export function classifyStsError(err: unknown): SnapshotServiceError {
  if (err instanceof SnapshotServiceError) return err;
  const parts = errorParts(err);
  const faultClass = isTransportFault(parts) ? 'transient' : 'terminal';
  return new SnapshotServiceError(parts.code, faultClass, parts.message, {
    cause: err,
    httpStatus: parts.httpStatus,
  });
}

/** A failed AssumeRole of `roleArn` as the AssumeRoleError callers record, with STS's code and message. */
export function toAssumeRoleError(err: unknown, roleArn: string): AssumeRoleError {
  if (err instanceof AssumeRoleError) return err;
  const fault = classifyStsError(err);
  const faultClass = fault.faultClass === 'transient' ? 'transient' : 'terminal';
  return new AssumeRoleError(
    roleArn,
    fault.code,
    faultClass,
    `could not assume ${roleArn}: ${fault.code}: ${fault.message}`,
    { cause: err, httpStatus: fault.httpStatus },
  );
}
