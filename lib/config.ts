import { ConfigError } from './errors';

/** Everything the functions read from the environment, read once, typed and frozen. */
export interface Config {
  readonly policiesTable: string;
  readonly runsTable: string;
  /** The targets of `targets` policies, one item per (policy, cache) (docs/architecture.md, "Targets"). */
  readonly targetsTable: string;
  /**
   * The deployment's name, the stack name (`DEPLOYMENT_NAME`): part of every snapshot's name and its
   * `snapshot-orchestrator-deployment` tag, so deployments sharing an account never take, adopt or delete
   * each other's snapshots (docs/architecture.md, "Deployment identity").
   */
  readonly deploymentName: string;
  /** Most policies worked on at once in one tick. */
  readonly concurrency: number;
  /** How long a claim holds before another tick may take it over (a crashed tick's slot). */
  readonly leaseMs: number;
  /** Stop starting new work this long before the Lambda deadline. */
  readonly deadlineMarginMs: number;
  /** Days a terminal run record is kept before TTL removes it. */
  readonly runRetentionDays: number;
  /** Name of the role assumed in member accounts (deploy parameter `memberRoleName`). */
  readonly memberRoleName: string;
  /** External ID sent with every AssumeRole (deploy parameter `memberExternalId`); unset: no member accounts. */
  readonly memberExternalId?: string | undefined;
  /** The event bus state-change events go to (deploy parameter `eventBusName`; `default`: the account's). */
  readonly eventBusName: string;
  /**
   * The orchestrator's own account and region when the environment says (AWS_ACCOUNT_ID, AWS_REGION): what
   * events name for runs that carry none, unless the invocation says (the scheduler's scheduled event does).
   */
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

export const DEFAULTS = {
  concurrency: 16,
  leaseMs: 5 * 60_000,
  deadlineMarginMs: 5_000,
  runRetentionDays: 90,
  memberRoleName: 'cache-snapshot-orchestrator-member',
  eventBusName: 'default',
} as const;

type Env = Record<string, string | undefined>;

function requireVar(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`environment variable ${name} is required`);
  }
  return value.trim();
}

function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`environment variable ${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/**
 * An optional variable that must match `pattern`; blank counts as unset. The patterns are AWS's own, so a bad
 * value fails at start rather than on every call: ExternalId 2-1224 characters of `[\w+=,.@:/-]`
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), a role name 1-64 characters of
 * `[\w+=,.@-]` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
 */
function readMatching(env: Env, name: string, pattern: RegExp): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!pattern.test(raw))
    throw new ConfigError(`environment variable ${name} must match ${pattern}, got "${raw}"`);
  return raw;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** Reads the configuration from `env` (default `process.env`); throws ConfigError naming a missing variable. */
export function loadConfig(env: Env = process.env): Config {
  return Object.freeze({
    policiesTable: requireVar(env, 'POLICIES_TABLE'),
    runsTable: requireVar(env, 'RUNS_TABLE'),
    targetsTable: requireVar(env, 'TARGETS_TABLE'),
    deploymentName: requireVar(env, 'DEPLOYMENT_NAME'),
    concurrency: readPositiveInt(env, 'SCHEDULER_CONCURRENCY', DEFAULTS.concurrency),
    leaseMs: readPositiveInt(env, 'CLAIM_LEASE_MS', DEFAULTS.leaseMs),
    deadlineMarginMs: readPositiveInt(env, 'DEADLINE_MARGIN_MS', DEFAULTS.deadlineMarginMs),
    runRetentionDays: readPositiveInt(env, 'RUN_RETENTION_DAYS', DEFAULTS.runRetentionDays),
    memberRoleName: readMatching(env, 'MEMBER_ROLE_NAME', ROLE_NAME) ?? DEFAULTS.memberRoleName,
    memberExternalId: readMatching(env, 'MEMBER_EXTERNAL_ID', EXTERNAL_ID),
    eventBusName: readOptional(env, 'EVENT_BUS_NAME') ?? DEFAULTS.eventBusName,
    account: readOptional(env, 'AWS_ACCOUNT_ID'),
    region: readOptional(env, 'AWS_REGION'),
  });
}
