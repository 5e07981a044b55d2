import {
  ElastiCacheServiceException,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidServerlessCacheSnapshotStateFault,
  InvalidServerlessCacheStateFault,
  ServerlessCacheAlreadyExistsFault,
  ServerlessCacheNotFoundFault,
  ServerlessCacheQuotaForCustomerExceededFault,
  ServerlessCacheSnapshotAlreadyExistsFault,
  ServerlessCacheSnapshotNotFoundFault,
  ServerlessCacheSnapshotQuotaExceededFault,
  ServiceLinkedRoleNotFoundFault,
  TagQuotaPerResourceExceeded,
} from '@aws-sdk/client-elasticache';
import { describe, expect, it } from 'vitest';
import { classifyElastiCacheError } from '#lib/adapters/elasticache/classify-error';
import { type FaultClass, SnapshotServiceError } from '#lib/errors';

const at400 = { $metadata: { httpStatusCode: 400 }, message: 'from the service' };
const at404 = { $metadata: { httpStatusCode: 404 }, message: 'from the service' };

function unmodelled(name: string, httpStatusCode: number): ElastiCacheServiceException {
  return new ElastiCacheServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: name,
  });
}

function networkError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

function namedError(name: string): Error {
  return Object.assign(new Error(`${name} happened`), { name });
}

const cases: [string, unknown, FaultClass, string][] = [
  ['Throttling', unmodelled('Throttling', 400), 'transient', 'Throttling'],
  ['ThrottlingException', unmodelled('ThrottlingException', 400), 'transient', 'ThrottlingException'],
  ['RequestLimitExceeded', unmodelled('RequestLimitExceeded', 400), 'transient', 'RequestLimitExceeded'],
  [
    'an unknown fault with HTTP 503',
    unmodelled('ServiceUnavailable', 503),
    'transient',
    'ServiceUnavailable',
  ],
  ['an unknown fault with HTTP 500', unmodelled('InternalFailure', 500), 'transient', 'InternalFailure'],
  ['ECONNRESET', networkError('ECONNRESET', 'read ECONNRESET'), 'transient', 'ECONNRESET'],
  ['ECONNREFUSED', networkError('ECONNREFUSED'), 'transient', 'ECONNREFUSED'],
  ['a socket hang up', networkError('ECONNRESET', 'socket hang up'), 'transient', 'ECONNRESET'],
  ['a socket hang up without a code', new Error('socket hang up'), 'transient', 'Error'],
  ['a request timeout', namedError('TimeoutError'), 'transient', 'TimeoutError'],
  ['an abort at the deadline', namedError('AbortError'), 'transient', 'AbortError'],
  ['InvalidServerlessCacheStateFault', new InvalidServerlessCacheStateFault(at400), 'busy', ''],
  [
    'InvalidServerlessCacheSnapshotStateFault',
    new InvalidServerlessCacheSnapshotStateFault(at400),
    'busy',
    '',
  ],
  [
    'ServerlessCacheSnapshotQuotaExceededFault',
    new ServerlessCacheSnapshotQuotaExceededFault(at400),
    'quota',
    '',
  ],
  [
    'ServerlessCacheSnapshotAlreadyExistsFault',
    new ServerlessCacheSnapshotAlreadyExistsFault(at400),
    'already-exists',
    '',
  ],
  ['ServerlessCacheAlreadyExistsFault', new ServerlessCacheAlreadyExistsFault(at400), 'already-exists', ''],
  [
    'ServerlessCacheQuotaForCustomerExceededFault',
    new ServerlessCacheQuotaForCustomerExceededFault(at400),
    'quota',
    '',
  ],
  ['ServerlessCacheNotFoundFault', new ServerlessCacheNotFoundFault(at404), 'not-found', ''],
  ['ServerlessCacheSnapshotNotFoundFault', new ServerlessCacheSnapshotNotFoundFault(at404), 'not-found', ''],
  [
    'InvalidParameterValueException',
    new InvalidParameterValueException(at400),
    'terminal',
    'InvalidParameterValue',
  ],
  [
    'InvalidParameterCombinationException',
    new InvalidParameterCombinationException(at400),
    'terminal',
    'InvalidParameterCombination',
  ],
  ['TagQuotaPerResourceExceeded', new TagQuotaPerResourceExceeded(at400), 'terminal', ''],
  ['ServiceLinkedRoleNotFoundFault', new ServiceLinkedRoleNotFoundFault(at400), 'terminal', ''],
  ['an unknown 4xx fault', unmodelled('SomethingNewFault', 400), 'terminal', 'SomethingNewFault'],
  ['a thrown string', 'boom', 'terminal', 'UnknownError'],
];

describe('classifyElastiCacheError', () => {
  it.each(cases)('classifies %s', (label, error, faultClass, code) => {
    const classified = classifyElastiCacheError(error);
    expect(classified).toBeInstanceOf(SnapshotServiceError);
    expect(classified.faultClass).toBe(faultClass);
    expect(classified.code).toBe(code === '' ? label : code);
    expect(classified.cause).toBe(error);
  });

  it('keeps the message and the HTTP status of a service fault', () => {
    const classified = classifyElastiCacheError(new ServerlessCacheNotFoundFault(at404));
    expect(classified.message).toBe('from the service');
    expect(classified.httpStatus).toBe(404);
  });

  it('returns an already classified error unchanged', () => {
    const classified = new SnapshotServiceError('Throttling', 'transient', 'slow down');
    expect(classifyElastiCacheError(classified)).toBe(classified);
  });
});
