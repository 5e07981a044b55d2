/** The AWS Query response envelopes: `<XResponse><XResult>…` for success, `<ErrorResponse>` for faults. */
import type { ServiceFault } from '#local/emulator/model/service-fault';
import { element, textElement } from './xml';

const NAMESPACE = 'http://elasticache.amazonaws.com/doc/2015-02-02/';

/** The body of a successful answer to `action`, around the already-encoded result members. */
export function encodeSuccess(action: string, resultMembers: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${NAMESPACE}">` +
    element(`${action}Result`, resultMembers) +
    element('ResponseMetadata', textElement('RequestId', requestId)) +
    `</${action}Response>`
  );
}

/** The body of a fault answer; its HTTP status is `fault.httpStatus`. */
export function encodeError(fault: ServiceFault, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${NAMESPACE}">` +
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
