/**
 * EventBridge faults translated at the edge: nothing above this adapter knows EventBridge's error names.
 * PutEvents answers a failed call with an exception, and a refused entry with an ErrorCode in its result.
 */
import { errorParts, isTransportFault } from '#lib/adapters/transport-faults';
import { EventBusError } from '#lib/errors';
import { type EntryResult, NO_RESULT } from '#lib/state-events/event-bus';

/**
 * The entry error codes EventBridge documents as retryable (PutEventsResultEntry, "Retryable errors");
 * every other code (AccessDeniedException, InvalidArgument, MalformedDetail, NotAuthorizedForSourceException,
 * …) refuses the entry for good.
 */
const RETRYABLE_ENTRY_CODES = new Set(['InternalFailure', 'ThrottlingException']);

/**
 * Any failure of a PutEvents call as an EventBusError: `transient` when the way failed (throttling,
 * `InternalException` and other HTTP 5xx, network, timeouts), `terminal` when EventBridge refused the
 * request (AccessDeniedException, ValidationException, ResourceNotFoundException, …).
 */
export function classifyEventBridgeError(err: unknown): EventBusError {
  if (err instanceof EventBusError) return err;
  const parts = errorParts(err);
  const faultClass = isTransportFault(parts) ? 'transient' : 'terminal';
  return new EventBusError(parts.code, faultClass, parts.message, { cause: err });
}

/**
 * One PutEvents result entry as an EntryResult: an EventId without an ErrorCode is accepted, an ErrorCode
 * refused by its class, a missing or empty one (fewer results than entries) NO_RESULT.
 */
export function entryResultOf(
  entry: { EventId?: string; ErrorCode?: string; ErrorMessage?: string } | undefined,
): EntryResult {
  if (entry?.ErrorCode !== undefined) {
    const code = entry.ErrorCode;
    const faultClass = RETRYABLE_ENTRY_CODES.has(code) ? 'transient' : 'terminal';
    return { ok: false, code, message: entry.ErrorMessage ?? code, faultClass };
  }
  return entry?.EventId !== undefined ? { ok: true } : NO_RESULT;
}
