/**
 * AWS Query protocol envelopes, shared by the emulated ElastiCache and STS: `<XResponse><XResult>…` for
 * success and `<ErrorResponse>` for faults, each in the service's XML namespace.
 */
import { element, textElement } from './xml';

/** A fault as the Query protocol answers it: code, HTTP status and `Sender`/`Receiver` type. */
export interface QueryFault {
  readonly code: string;
  readonly httpStatus: number;
  readonly message: string;
  readonly type: 'Sender' | 'Receiver';
}

/** The body of a successful answer to `action`, around the already-encoded result members. */
export function encodeQuerySuccess(
  namespace: string,
  action: string,
  resultMembers: string,
  requestId: string,
): string {
  return (
    `<${action}Response xmlns="${namespace}">` +
    element(`${action}Result`, resultMembers) +
    element('ResponseMetadata', textElement('RequestId', requestId)) +
    `</${action}Response>`
  );
}

/** The body of a fault answer; its HTTP status is `fault.httpStatus`. */
export function encodeQueryError(namespace: string, fault: QueryFault, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${namespace}">` +
    element(
      'Error',
      textElement('Type', fault.type),
      textElement('Code', fault.code),
      textElement('Message', fault.message),
    ) +
    textElement('RequestId', requestId) +
    '</ErrorResponse>'
  );
}
