/**
 * The one error hierarchy of the orchestrator. Adapters translate SDK faults into these, so callers never
 * see SDK exception types; every subclass sets `name` and keeps the `cause`.
 */
export class OrchestratorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A required environment variable is missing or malformed. */
export class ConfigError extends OrchestratorError {}

/** A Lambda was invoked with an event of the wrong shape (e.g. the scheduler with a non-scheduled event). */
export class InvalidEventError extends OrchestratorError {}

/** Longest piece of an operator's value quoted back in a message, so a huge input cannot make a huge message. */
export const MAX_QUOTED_LENGTH = 64;

/** `text` cut to MAX_QUOTED_LENGTH characters, ending in `…` when cut: how any message shows an operator's value. */
export function shorten(text: string): string {
  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
}

/** `text` shortened and JSON-quoted, so quotes, newlines and control characters in it stay visible. */
export function quote(text: string): string {
  return JSON.stringify(shorten(text));
}

/** One broken rule of a policy record: the attribute it concerns and the rule, in words. */
export interface PolicyIssue {
  attribute: string;
  message: string;
}

/**
 * Issues as one line, `attribute: rule; attribute: rule`: a policy's `stateReason` when it is INVALID, and
 * the message of PolicyValidationError, the scheduler's skip reason and the CLI's report.
 */
export function describeIssues(issues: readonly PolicyIssue[]): string {
  return issues.map((issue) => `${issue.attribute}: ${issue.message}`).join('; ');
}

/** A policy record breaks one or more rules; `issues` lists every one, `message` joins them. */
export class PolicyValidationError extends OrchestratorError {
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[]) {
    super(describeIssues(issues));
    this.issues = issues;
  }
}

/**
 * How the orchestrator handles a fault from CreateServerlessCacheSnapshot (docs/architecture.md,
 * "Fault classes"):
 * - `transient`: throttling, 5xx, network: backoff inside the invocation, then a durable retry;
 * - `busy`: the cache is not available or already snapshotting: durable retry until the window closes;
 * - `quota`: prune by retention, retry once, else durable retry;
 * - `already-exists`: the name is taken (success when it is ours, for our cache);
 * - `not-found`: no such cache or snapshot;
 * - `terminal`: bad parameters, tag quota, missing service-linked role: never retried.
 */
export type FaultClass = 'transient' | 'busy' | 'quota' | 'already-exists' | 'not-found' | 'terminal';

/** A fault answered by ElastiCache (or the network on the way), classified. */
export class SnapshotServiceError extends OrchestratorError {
  readonly code: string;
  readonly faultClass: FaultClass;
  readonly httpStatus: number | undefined;
  constructor(
    code: string,
    faultClass: FaultClass,
    message: string,
    options?: { cause?: unknown; httpStatus?: number },
  ) {
    super(message, options);
    this.code = code;
    this.faultClass = faultClass;
    this.httpStatus = options?.httpStatus;
  }
}

/** The code recorded on a run (and counted) when a member account's role could not be assumed. */
export const ASSUME_ROLE_FAILED = 'AssumeRoleFailed';

/**
 * The orchestrator could not get credentials for a member account's role (docs/architecture.md,
 * "Accounts and regions"): `code` is always `AssumeRoleFailed`, `stsCode` what STS answered (or why it was
 * not asked). It is a SnapshotServiceError so that a call into that account fails like any fault of the call
 * itself and is recorded on the run: `transient` when STS was throttled, failed or out of reach, `terminal`
 * when it refused (the role is missing, does not trust the orchestrator, or wants another external ID).
 */
export class AssumeRoleError extends SnapshotServiceError {
  readonly roleArn: string;
  readonly stsCode: string;
  constructor(
    roleArn: string,
    stsCode: string,
    faultClass: 'transient' | 'terminal',
    message: string,
    options?: { cause?: unknown; httpStatus?: number },
  ) {
    super(ASSUME_ROLE_FAILED, faultClass, message, options);
    this.roleArn = roleArn;
    this.stsCode = stsCode;
  }
}

/**
 * A fault answered by S3 (or the network on the way), classified like ElastiCache's (FaultClass):
 * `transient` (throttling, 5xx, network), `not-found` (no such bucket, key or multipart upload) and
 * `terminal` (access denied, anything unknown). `bucket` is the bucket of the call; the message names it.
 */
export class ObjectStoreError extends OrchestratorError {
  readonly code: string;
  readonly faultClass: FaultClass;
  readonly bucket: string;
  readonly httpStatus: number | undefined;
  constructor(
    code: string,
    faultClass: FaultClass,
    bucket: string,
    message: string,
    options?: { cause?: unknown; httpStatus?: number },
  ) {
    super(message, options);
    this.code = code;
    this.faultClass = faultClass;
    this.bucket = bucket;
    this.httpStatus = options?.httpStatus;
  }
}

/** A conditional write lost: someone else changed the item first (the caller decides what that means). */
export class ConditionalWriteError extends OrchestratorError {}

/** A DynamoDB call failed for another reason (throttled after retries, service error, network). */
export class StoreError extends OrchestratorError {}

/**
 * A call to the event bus failed as a whole (docs/architecture.md, "Events"): `transient` when it may go
 * through if made again (throttled, a server error, the network), `terminal` when the bus refused it
 * (access denied, a malformed request). `code` is the service's error code.
 */
export class EventBusError extends OrchestratorError {
  readonly code: string;
  readonly faultClass: 'transient' | 'terminal';
  constructor(
    code: string,
    faultClass: 'transient' | 'terminal',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.faultClass = faultClass;
  }
}
