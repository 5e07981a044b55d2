/**
 * One request from arrival to answer, free of HTTP details: authentication, the rate limit, injected
 * faults and latency, the operation itself, and the call log entry. Returns what to send (or to drop).
 */
import { randomUUID } from 'node:crypto';
import type { FaultInjector } from '#local/emulator/faults/fault-injector';
import type { RateLimiter } from '#local/emulator/faults/rate-limiter';
import { faults, ServiceFault } from '#local/emulator/model/service-fault';
import { encodeError, encodeSuccess } from '#local/emulator/protocol/envelopes';
import { type Operation, runOperation } from '#local/emulator/protocol/operations';
import { parseQueryRequest, type QueryRequest, toCallParams } from '#local/emulator/protocol/query-request';
import type { CallRecord, FaultSpec } from '#local/emulator/types';

/** What the transport does with a request: send a body with a status, or destroy the connection. */
export type Answer =
  | { kind: 'reply'; status: number; body: string; requestId: string; outcome: string }
  | { kind: 'drop'; outcome: 'drop' };

/** A request as the transport hands it over; `form` is the form-encoded members (body or query string). */
export interface IncomingCall {
  readonly authorization: string | undefined;
  readonly form: string;
}

export interface PipelineDeps {
  readonly clock: () => Date;
  readonly operations: ReadonlyMap<string, Operation>;
  readonly injector: FaultInjector;
  readonly limiter: RateLimiter;
  /** Wall-clock delay to add to every call (0 for none). */
  readonly drawLatencyMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly record: (call: CallRecord) => void;
}

/** Turns a scripted or random fault that answers in place of the operation into its ServiceFault. */
function faultOf(spec: FaultSpec): ServiceFault | undefined {
  switch (spec.kind) {
    case 'throttling':
      return faults.throttling();
    case 'http500':
      return faults.internalFailure();
    case 'fault':
      return new ServiceFault(
        spec.code,
        spec.httpStatus ?? 400,
        spec.message ?? `Injected fault ${spec.code}`,
      );
    default:
      return undefined;
  }
}

function rejectWith(fault: ServiceFault, requestId: string): Answer {
  const body = encodeError(fault, requestId);
  return { kind: 'reply', status: fault.httpStatus, body, requestId, outcome: fault.code };
}

function execute(deps: PipelineDeps, request: QueryRequest, requestId: string): Answer {
  try {
    const body = encodeSuccess(request.action, runOperation(deps.operations, request), requestId);
    return { kind: 'reply', status: 200, body, requestId, outcome: 'ok' };
  } catch (error) {
    if (error instanceof ServiceFault) return rejectWith(error, requestId);
    const detail = error instanceof Error ? error.message : String(error);
    return rejectWith(
      new ServiceFault('InternalFailure', 500, `Emulator error: ${detail}`, 'Receiver'),
      requestId,
    );
  }
}

async function decide(
  deps: PipelineDeps,
  call: IncomingCall,
  request: QueryRequest,
  requestId: string,
): Promise<Answer> {
  if (call.authorization === undefined) return rejectWith(faults.missingAuthenticationToken(), requestId);
  if (!call.authorization.startsWith('AWS4-HMAC-SHA256 '))
    return rejectWith(faults.incompleteSignature(), requestId);
  if (!deps.limiter.tryAdmit()) return rejectWith(faults.throttling(), requestId);
  const latencyMs = deps.drawLatencyMs();
  if (latencyMs > 0) await deps.sleep(latencyMs);
  const spec = deps.injector.next(request.action);
  if (spec?.kind === 'latency') await deps.sleep(spec.ms);
  if (spec?.kind === 'drop') {
    if (spec.afterEffect) execute(deps, request, requestId);
    return { kind: 'drop', outcome: 'drop' };
  }
  const fault = spec && faultOf(spec);
  return fault ? rejectWith(fault, requestId) : execute(deps, request, requestId);
}

/** Answers one call and logs it with its outcome: `ok`, the fault code, or `drop`. */
export async function handleCall(deps: PipelineDeps, call: IncomingCall): Promise<Answer> {
  const at = deps.clock();
  const requestId = randomUUID();
  const request = parseQueryRequest(call.form);
  const answer = await decide(deps, call, request, requestId);
  deps.record({
    action: request.action,
    params: toCallParams(request),
    at,
    outcome: answer.outcome,
    httpStatus: answer.kind === 'reply' ? answer.status : undefined,
    requestId,
  });
  return answer;
}
