/**
 * What any AWS call's failure says about the way to the service, whichever service answered: throttled,
 * a server error, or a network failure. Each service's adapter knows its own fault names and asks this
 * module only about these; nothing here is specific to one service.
 */

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

/** A string property of an error object, or undefined. */
function readErrorString(source: object, key: string): string | undefined {
  const value: unknown = Reflect.get(source, key);
  return typeof value === 'string' ? value : undefined;
}

/** The HTTP status the SDK recorded on an error (`$metadata.httpStatusCode`), or undefined. */
function readHttpStatus(source: object): number | undefined {
  const metadata: unknown = Reflect.get(source, '$metadata');
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const status: unknown = Reflect.get(metadata, 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
}

/** An SDK error's parts: its code (the error name, or the Node error code of a network error), message, status. */
export interface ErrorParts {
  readonly code: string;
  readonly errno: string | undefined;
  readonly message: string;
  readonly httpStatus: number | undefined;
}

/** The parts of any thrown value; `name` is what the SDK sets to the service's error code. */
export function errorParts(err: unknown): ErrorParts {
  if (typeof err !== 'object' || err === null) {
    return { code: 'UnknownError', errno: undefined, message: String(err), httpStatus: undefined };
  }
  const name = readErrorString(err, 'name') ?? 'UnknownError';
  const errno = readErrorString(err, 'code');
  return {
    code: name === 'Error' && errno !== undefined ? errno : name,
    errno,
    message: readErrorString(err, 'message') ?? name,
    httpStatus: readHttpStatus(err),
  };
}

/** True for a throttled answer (by code or HTTP 429): what an adaptive limit backs off on. */
export function isThrottlingError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  return THROTTLING.has(readErrorString(err, 'name') ?? '') || readHttpStatus(err) === 429;
}

/**
 * True when the failure is one of the way rather than of the request: throttling (by code or HTTP 429), an
 * HTTP 5xx, or a network or timeout failure. Such a call may succeed when made again later.
 */
export function isTransportFault(parts: ErrorParts): boolean {
  const { code, errno, message, httpStatus } = parts;
  if (THROTTLING.has(code) || httpStatus === 429) return true;
  if (httpStatus !== undefined && httpStatus >= 500) return true;
  if (NETWORK.has(code) || (errno !== undefined && NETWORK.has(errno))) return true;
  return /socket hang up/i.test(message);
}
