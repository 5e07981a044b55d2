/**
 * One request from arrival to answer, free of HTTP details: authentication, the rate limit, injected
 * faults and latency, the operation itself, and the call log entry. Returns what to send (or to drop).
 */
import { randomUUID } from 'node:crypto';
import type { FaultInjector } from '#local/emulator/faults/fault-injector';
import { faults, ServiceFault } from '#local/emulator/model/service-fault';
import type { PartitionSet, PartitionState } from '#local/emulator/partitions';
import { encodeError, encodeSuccess } from '#local/emulator/protocol/envelopes';
import { type Operation, runOperation } from '#local/emulator/protocol/operations';
import { parseQueryRequest, type QueryRequest, toCallParams } from '#local/emulator/protocol/query-request';
import type { CallRecord, FaultSpec } from '#local/emulator/types';
import { authenticate } from '#local/identity/authenticate';
import type { CredentialRegistry } from '#local/identity/credential-registry';

/** What the transport does with a request: send a body with a status, or destroy the connection. */
export type Answer =
  | { kind: 'reply'; status: number; body: string; requestId: string; outcome: string }
  | { kind: 'drop'; outcome: 'drop' };

/** A request as the transport hands it over; `form` is the form-encoded members (body or query string). */
export interface IncomingCall {
  readonly authorization: string | undefined;
  /** The `x-amz-security-token` header (temporary credentials). */
  readonly securityToken: string | undefined;
  readonly form: string;
}

export interface PipelineDeps {
  readonly clock: () => Date;
  readonly operations: ReadonlyMap<string, Operation>;
  readonly injector: FaultInjector;
  readonly credentials: CredentialRegistry;
  readonly partitions: PartitionSet;
  /** Runs before every admitted request (completes exports due on the clock). */
  readonly beforeRequest: () => Promise<void>;
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

async function execute(
  deps: PipelineDeps,
  request: QueryRequest,
  partition: PartitionState,
  requestId: string,
): Promise<Answer> {
  try {
    const members = await runOperation(deps.operations, request, partition);
    const body = encodeSuccess(request.action, members, requestId);
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

/** The partition of the caller's account in the signature's region, or the fault that refuses the call. */
function partitionOf(deps: PipelineDeps, call: IncomingCall): PartitionState | ServiceFault {
  const identity = authenticate(deps.credentials, call.authorization, call.securityToken);
  if (identity.ok) return deps.partitions.get(identity.principal.accountId, identity.region);
  switch (identity.reason) {
    case 'missing':
      return faults.missingAuthenticationToken();
    case 'malformed':
      return faults.incompleteSignature();
    case 'expired':
      return faults.expiredToken();
    default:
      return faults.invalidClientTokenId();
  }
}

async function decide(
  deps: PipelineDeps,
  request: QueryRequest,
  partition: PartitionState,
  requestId: string,
): Promise<Answer> {
  if (!partition.limiter.tryAdmit()) return rejectWith(faults.throttling(), requestId);
  const latencyMs = deps.drawLatencyMs();
  if (latencyMs > 0) await deps.sleep(latencyMs);
  await deps.beforeRequest();
  const spec = deps.injector.next(request.action);
  if (spec?.kind === 'latency') await deps.sleep(spec.ms);
  if (spec?.kind === 'drop') {
    if (spec.afterEffect) await execute(deps, request, partition, requestId);
    return { kind: 'drop', outcome: 'drop' };
  }
  const fault = spec && faultOf(spec);
  return fault ? rejectWith(fault, requestId) : execute(deps, request, partition, requestId);
}

/** Answers one call and logs it with its outcome: `ok`, the fault code, or `drop`. */
export async function handleCall(deps: PipelineDeps, call: IncomingCall): Promise<Answer> {
  const at = deps.clock();
  const requestId = randomUUID();
  const request = parseQueryRequest(call.form);
  const partition = partitionOf(deps, call);
  const answer =
    partition instanceof ServiceFault
      ? rejectWith(partition, requestId)
      : await decide(deps, request, partition, requestId);
  deps.record({
    action: request.action,
    params: toCallParams(request),
    at,
    outcome: answer.outcome,
    httpStatus: answer.kind === 'reply' ? answer.status : undefined,
    requestId,
    ...(partition instanceof ServiceFault ? {} : partition.partition),
  });
  return answer;
}
