/**
 * The faults the emulator answers, with the codes and HTTP statuses of the real service (the `awsQueryError`
 * traits in the SDK's model). Thrown by the model, turned into an `<ErrorResponse>` by the protocol layer.
 */
export class ServiceFault extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** `Sender` for the caller's faults, `Receiver` for the service's own. */
  readonly type: 'Sender' | 'Receiver';

  constructor(code: string, httpStatus: number, message: string, type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'ServiceFault';
    this.code = code;
    this.httpStatus = httpStatus;
    this.type = type;
  }
}

/** Builders for every fault the model raises, so codes and statuses are spelled once. */
export const faults = {
  invalidParameterValue: (message: string) => new ServiceFault('InvalidParameterValue', 400, message),
  missingParameter: (name: string) =>
    new ServiceFault('MissingParameter', 400, `The request must contain the parameter ${name}`),
  invalidArn: (arn: string) => new ServiceFault('InvalidARN', 400, `${arn} is not a valid ARN.`),
  cacheNotFound: (name: string) =>
    new ServiceFault('ServerlessCacheNotFoundFault', 404, `Serverless cache ${name} not found.`),
  snapshotNotFound: (name: string) =>
    new ServiceFault(
      'ServerlessCacheSnapshotNotFoundFault',
      404,
      `Serverless cache snapshot ${name} not found.`,
    ),
  snapshotAlreadyExists: (name: string) =>
    new ServiceFault(
      'ServerlessCacheSnapshotAlreadyExistsFault',
      400,
      `Serverless cache snapshot with name ${name} already exists.`,
    ),
  cacheAlreadyExists: (name: string) =>
    new ServiceFault('ServerlessCacheAlreadyExistsFault', 400, `Serverless cache ${name} already exists.`),
  cacheQuota: (limit: number) =>
    new ServiceFault(
      'ServerlessCacheQuotaForCustomerExceededFault',
      400,
      `The account has reached its limit of ${limit} serverless caches in this region.`,
    ),
  invalidParameterCombination: (message: string) =>
    new ServiceFault('InvalidParameterCombination', 400, message),
  cacheState: (message: string) => new ServiceFault('InvalidServerlessCacheStateFault', 400, message),
  snapshotState: (name: string, status: string) =>
    new ServiceFault(
      'InvalidServerlessCacheSnapshotStateFault',
      400,
      `Serverless cache snapshot ${name} is in ${status} state; it must be available.`,
    ),
  snapshotQuota: (message: string) =>
    new ServiceFault('ServerlessCacheSnapshotQuotaExceededFault', 400, message),
  tagQuota: () =>
    new ServiceFault(
      'TagQuotaPerResourceExceeded',
      400,
      'The request exceeds the limit of 50 tags per resource.',
    ),
  throttling: () => new ServiceFault('Throttling', 400, 'Rate exceeded'),
  internalFailure: () =>
    new ServiceFault(
      'InternalFailure',
      500,
      'The request processing has failed because of an unknown error.',
      'Receiver',
    ),
  invalidAction: (action: string) =>
    new ServiceFault('InvalidAction', 400, `The action ${action} is not valid for this web service.`),
  missingAuthenticationToken: () =>
    new ServiceFault('MissingAuthenticationToken', 403, 'Request is missing Authentication Token'),
  expiredToken: () =>
    new ServiceFault('ExpiredToken', 403, 'The security token included in the request is expired'),
  invalidClientTokenId: () =>
    new ServiceFault('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
  incompleteSignature: () =>
    new ServiceFault('IncompleteSignature', 400, 'Authorization header requires AWS4-HMAC-SHA256 signature.'),
} as const;
