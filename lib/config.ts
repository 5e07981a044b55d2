import { ConfigError } from './errors';

/** Everything the functions read from the environment, read once, typed and frozen. */
export interface Config {
  readonly policiesTable: string;
  readonly runsTable: string;
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
}

export const DEFAULTS = {
  concurrency: 16,
  leaseMs: 5 * 60_000,
  deadlineMarginMs: 5_000,
  runRetentionDays: 90,
} as const;

type Env = Record<string, string | undefined>;

function requireVar(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`environment variable ${name} is required`);
  }
  return value.trim();
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

/** Reads the configuration from `env` (default `process.env`); throws ConfigError naming a missing variable. */
export function loadConfig(env: Env = process.env): Config {
  return Object.freeze({
    policiesTable: requireVar(env, 'POLICIES_TABLE'),
    runsTable: requireVar(env, 'RUNS_TABLE'),
    deploymentName: requireVar(env, 'DEPLOYMENT_NAME'),
    concurrency: readPositiveInt(env, 'SCHEDULER_CONCURRENCY', DEFAULTS.concurrency),
    leaseMs: readPositiveInt(env, 'CLAIM_LEASE_MS', DEFAULTS.leaseMs),
    deadlineMarginMs: readPositiveInt(env, 'DEADLINE_MARGIN_MS', DEFAULTS.deadlineMarginMs),
    runRetentionDays: readPositiveInt(env, 'RUN_RETENTION_DAYS', DEFAULTS.runRetentionDays),
  });
}
