import { describe, expect, it } from 'vitest';
import { DEFAULTS, loadConfig } from '#lib/config';
import { ConfigError } from '#lib/errors';

const REQUIRED = {
  POLICIES_TABLE: 'snapshot-policies',
  RUNS_TABLE: 'snapshot-runs',
  TARGETS_TABLE: 'snapshot-targets',
  DEPLOYMENT_NAME: 'cache-snapshot-orchestrator-prod',
};

function failureOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the environment was accepted');
}

describe('loadConfig', () => {
  it('reads the tables and applies the defaults to everything else', () => {
    const config = loadConfig(REQUIRED);

    expect(config).toEqual({
      policiesTable: 'snapshot-policies',
      runsTable: 'snapshot-runs',
      targetsTable: 'snapshot-targets',
      deploymentName: 'cache-snapshot-orchestrator-prod',
      concurrency: DEFAULTS.concurrency,
      leaseMs: DEFAULTS.leaseMs,
      deadlineMarginMs: DEFAULTS.deadlineMarginMs,
      runRetentionDays: DEFAULTS.runRetentionDays,
      memberRoleName: 'cache-snapshot-orchestrator-member',
      memberExternalId: undefined,
      eventBusName: 'default',
    });
  });

  it('reads the event bus, and the own account and region when the environment says', () => {
    const config = loadConfig({
      ...REQUIRED,
      EVENT_BUS_NAME: 'ops-events',
      AWS_ACCOUNT_ID: '111122223333',
      AWS_REGION: 'eu-west-1',
    });

    expect(config).toMatchObject({
      eventBusName: 'ops-events',
      account: '111122223333',
      region: 'eu-west-1',
    });
  });

  it('returns a frozen object', () => {
    const config = loadConfig(REQUIRED);

    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the tunables when they are set', () => {
    const config = loadConfig({
      ...REQUIRED,
      SCHEDULER_CONCURRENCY: '4',
      CLAIM_LEASE_MS: '120000',
      DEADLINE_MARGIN_MS: '2500',
      RUN_RETENTION_DAYS: '30',
    });

    expect(config).toMatchObject({
      concurrency: 4,
      leaseMs: 120_000,
      deadlineMarginMs: 2_500,
      runRetentionDays: 30,
    });
  });

  it('fails naming POLICIES_TABLE when it is missing', () => {
    const error = failureOf({ ...REQUIRED, POLICIES_TABLE: undefined });

    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('POLICIES_TABLE');
  });

  it('fails naming RUNS_TABLE when it is blank', () => {
    const error = failureOf({ ...REQUIRED, RUNS_TABLE: '  ' });

    expect(error.message).toContain('RUNS_TABLE');
  });

  it('fails naming DEPLOYMENT_NAME when it is missing: snapshots are never named or tagged without it', () => {
    const error = failureOf({ ...REQUIRED, DEPLOYMENT_NAME: undefined });

    expect(error.message).toContain('DEPLOYMENT_NAME');
  });

  it('rejects a tunable that is not an integer, naming the variable and the value', () => {
    const error = failureOf({ ...REQUIRED, SCHEDULER_CONCURRENCY: '2.5' });

    expect(error.message).toContain('SCHEDULER_CONCURRENCY');
    expect(error.message).toContain('2.5');
  });

  it('rejects a tunable that is not a number or not positive', () => {
    expect(failureOf({ ...REQUIRED, CLAIM_LEASE_MS: 'five minutes' }).message).toContain('CLAIM_LEASE_MS');
    expect(failureOf({ ...REQUIRED, RUN_RETENTION_DAYS: '0' }).message).toContain('RUN_RETENTION_DAYS');
    expect(failureOf({ ...REQUIRED, DEADLINE_MARGIN_MS: '-1' }).message).toContain('DEADLINE_MARGIN_MS');
  });

  it('reads the member role name and the external ID, a blank one counting as unset', () => {
    const config = loadConfig({
      ...REQUIRED,
      MEMBER_ROLE_NAME: 'snapshots@member',
      MEMBER_EXTERNAL_ID: 'b7f3:orders/prod=1',
    });

    expect(config).toMatchObject({
      memberRoleName: 'snapshots@member',
      memberExternalId: 'b7f3:orders/prod=1',
    });
    expect(loadConfig({ ...REQUIRED, MEMBER_EXTERNAL_ID: ' ' }).memberExternalId).toBeUndefined();
  });

  it('rejects an external ID or role name AWS would refuse, naming the variable', () => {
    expect(failureOf({ ...REQUIRED, MEMBER_EXTERNAL_ID: 'x' }).message).toContain('MEMBER_EXTERNAL_ID');
    expect(failureOf({ ...REQUIRED, MEMBER_EXTERNAL_ID: 'has space' }).message).toContain(
      'MEMBER_EXTERNAL_ID',
    );
    expect(failureOf({ ...REQUIRED, MEMBER_EXTERNAL_ID: 'a'.repeat(1225) }).message).toContain(
      'MEMBER_EXTERNAL_ID',
    );
    expect(failureOf({ ...REQUIRED, MEMBER_ROLE_NAME: 'path/role' }).message).toContain('MEMBER_ROLE_NAME');
    expect(failureOf({ ...REQUIRED, MEMBER_ROLE_NAME: 'r'.repeat(65) }).message).toContain(
      'MEMBER_ROLE_NAME',
    );
  });
});
