/**
 * The one table from ElastiCache fault names to fault classes (docs/architecture.md, "Fault classes").
 * Nothing else in the code base knows these names.
 */
import { errorParts, isTransportFault } from '#lib/adapters/transport-faults';
import { type FaultClass, SnapshotServiceError } from '#lib/errors';

const FAULT_CLASSES: Readonly<Record<string, FaultClass>> = {
  InvalidServerlessCacheStateFault: 'busy',
  InvalidServerlessCacheSnapshotStateFault: 'busy',
  ServerlessCacheSnapshotQuotaExceededFault: 'quota',
  ServerlessCacheSnapshotAlreadyExistsFault: 'already-exists',
  ServerlessCacheNotFoundFault: 'not-found',
  ServerlessCacheSnapshotNotFoundFault: 'not-found',
  InvalidParameterValue: 'terminal',
  InvalidParameterCombination: 'terminal',
  TagQuotaPerResourceExceeded: 'terminal',
  ServiceLinkedRoleNotFoundFault: 'terminal',
};

/**
 * The SDK names two modelled exceptions differently from their wire codes; the code recorded is the wire
 * code, as in the API reference and docs/architecture.md.
 */
const SDK_NAME_TO_CODE: Readonly<Record<string, string>> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
};

/** True for a throttled answer (by code or HTTP 429): what the adaptive limit backs off on. */
export { isThrottlingError } from '#lib/adapters/transport-faults';

/**
 * Classifies any error from the ElastiCache client (or the network under it) into a SnapshotServiceError:
 * throttling, 5xx and network errors are `transient`; the state faults `busy`; the snapshot quota `quota`;
 * a taken name `already-exists`; a missing cache or snapshot `not-found`; parameter, tag quota,
 * service-linked role and every unknown fault `terminal`. The code is the fault's wire code (or the Node
 * error code for network errors); message, HTTP status and the original error are kept.
 */
export function classifyElastiCacheError(err: unknown): SnapshotServiceError {
  if (err instanceof SnapshotServiceError) return err;
  const parts = errorParts(err);
  const code = SDK_NAME_TO_CODE[parts.code] ?? parts.code;
  const faultClass = FAULT_CLASSES[code] ?? (isTransportFault(parts) ? 'transient' : 'terminal');
  return new SnapshotServiceError(code, faultClass, parts.message, {
    cause: err,
    httpStatus: parts.httpStatus,
  });
}
