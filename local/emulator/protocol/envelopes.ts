/** The ElastiCache Query envelopes: the shared ones in the service's 2015-02-02 namespace. */
import type { ServiceFault } from '#local/emulator/model/service-fault';
import { encodeQueryError, encodeQuerySuccess } from '#local/wire/query-envelope';

const NAMESPACE = 'http://elasticache.amazonaws.com/doc/2015-02-02/';

/** The body of a successful answer to `action`, around the already-encoded result members. */
export function encodeSuccess(action: string, resultMembers: string, requestId: string): string {
  return encodeQuerySuccess(NAMESPACE, action, resultMembers, requestId);
}

/** The body of a fault answer; its HTTP status is `fault.httpStatus`. */
export function encodeError(fault: ServiceFault, requestId: string): string {
  return encodeQueryError(NAMESPACE, fault, requestId);
}
