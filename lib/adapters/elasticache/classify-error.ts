/**
 * The one table from ElastiCache fault names to fault classes (docs/architecture.md, "Fault classes").
 * Nothing else in the code base knows these names.
 */
import { type FaultClass, SnapshotServiceError } from '#lib/errors';

const FAULT_CLASSES: Readonly<Record<string, FaultClass>> = {
  InvalidServerlessCacheStateFault: 'busy',
  InvalidServerlessCacheSnapshotStateFault: 'busy',
  ServerlessCacheSnapshotQuotaExceededFault: 'quota',
  ServerlessCacheSnapshotAlreadyExistsFault: 'already-exists',
  // CreateServerlessCache (restores): the cache name is taken; the account's serverless cache limit.
  ServerlessCacheAlreadyExistsFault: 'already-exists',
  ServerlessCacheQuotaForCustomerExceededFault: 'quota',
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

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** Network and timeout failures on the way to the service, by Node error code or error name. */
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
  'AbortError',
]);

function readString(source: object, key: string): string | undefined {
  const value: unknown = Reflect.get(source, key);
  return typeof value === 'string' ? value : undefined;
}

function readHttpStatus(source: object): number | undefined {
  const metadata: unknown = Reflect.get(source, '$metadata');
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const status: unknown = Reflect.get(metadata, 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
}

/** True for a throttled answer (by code or HTTP 429): what an adaptive limit backs off on. */
export function isThrottlingError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  return THROTTLING.has(readString(err, 'name') ?? '') || readHttpStatus(err) === 429;
}

function classify(code: string, errno: string | undefined, message: string, httpStatus?: number): FaultClass {
  const known = FAULT_CLASSES[code];
  if (known !== undefined) return known;
  if (THROTTLING.has(code) || httpStatus === 429) return 'transient';
  if (httpStatus !== undefined && httpStatus >= 500) return 'transient';
  if (NETWORK.has(code) || (errno !== undefined && NETWORK.has(errno))) return 'transient';
  if (/socket hang up/i.test(message)) return 'transient';
  return 'terminal';
}

/**
 * Classifies any error from the ElastiCache client (or the network under it) into a SnapshotServiceError:
 * throttling, 5xx and network errors are `transient`; the state faults `busy`; the snapshot and cache
 * quotas `quota`; a taken name `already-exists`; a missing cache or snapshot `not-found`; parameter, tag quota,
 * service-linked role and every unknown fault `terminal`. The code is the fault's wire code (or the Node
 * error code for network errors); message, HTTP status and the original error are kept.
 */
export function classifyElastiCacheError(err: unknown): SnapshotServiceError {
  if (err instanceof SnapshotServiceError) return err;
  if (typeof err !== 'object' || err === null) {
    return new SnapshotServiceError('UnknownError', 'terminal', String(err), { cause: err });
  }
  const name = readString(err, 'name') ?? 'UnknownError';
  const errno = readString(err, 'code');
  const message = readString(err, 'message') ?? name;
  const httpStatus = readHttpStatus(err);
  const code = name === 'Error' && errno !== undefined ? errno : (SDK_NAME_TO_CODE[name] ?? name);
  const faultClass = classify(code, errno, message, httpStatus);
  return new SnapshotServiceError(code, faultClass, message, { cause: err, httpStatus });
}
