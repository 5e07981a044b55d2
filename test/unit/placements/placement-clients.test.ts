import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveLimit } from '#lib/adaptive-limit';
import { MINUTE_MS } from '#lib/clock';
import { AssumeRoleError, SnapshotServiceError } from '#lib/errors';
import { logger, METRIC, metrics } from '#lib/observability';
import type { TemporaryCredentials } from '#lib/placements/credential-cache';
import type { HomePlacement, MemberRoleRequest, Placement } from '#lib/placements/placement';
import {
  createPlacementClients,
  type PlacementAccess,
  type PlacementClientsOptions,
  reportAssumeRoleFailure,
} from '#lib/placements/placement-clients';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import { FakeTime } from '#test/support/fake-time';

const HOME: HomePlacement = { account: '123456789012', region: 'us-east-1', partition: 'aws' };
const MEMBER = '210987654321';
const DENIED = '333333333333';
const EXTERNAL_ID = 'b7f3c1d2-orders';

/**
 * A gateway that answers `getCache` with where it was built, asking its credentials first as an SDK client
 * asks for them before each request.
 */
function gatewayAt(label: string, credentials?: () => Promise<TemporaryCredentials>): SnapshotGateway {
  const unused = async (): Promise<never> => {
    throw new Error('not used in these tests');
  };
  return {
    createSnapshot: unused,
    listSnapshots: unused,
    listCaches: unused,
    exportSnapshot: unused,
    tagSnapshot: unused,
    createCache: unused,
    deleteCache: unused,
    getSnapshot: unused,
    deleteSnapshot: unused,
    listTags: unused,
    getCache: async (name) => {
      const issued = await credentials?.();
      const arn = `${label}:${issued?.accessKeyId ?? 'own'}`;
      return {
        name,
        status: 'available',
        engine: 'valkey',
        majorEngineVersion: '8',
        arn,
        subnetIds: [],
        securityGroupIds: [],
        createTime: undefined,
      };
    },
  };
}

function harness(overrides: Partial<PlacementClientsOptions> = {}) {
  const time = new FakeTime('2025-03-01T00:00:00.000Z');
  const built: { placement: Placement; access: PlacementAccess }[] = [];
  const assumed: MemberRoleRequest[] = [];
  const failures: AssumeRoleError[] = [];
  const placements = createPlacementClients({
    identify: async () => HOME,
    homeSnapshots: gatewayAt('home'),
    buildSnapshots: async (placement, access) => {
      built.push({ placement, access });
      return gatewayAt(`${placement.account}/${placement.region}`, access.credentials);
    },
    assumeRole: async (request) => {
      assumed.push(request);
      if (request.roleArn.includes(DENIED)) {
        throw new AssumeRoleError(request.roleArn, 'AccessDenied', 'terminal', 'not authorized');
      }
      const expiration = new Date(time.now().getTime() + 60 * MINUTE_MS);
      return { accessKeyId: `ASIA${assumed.length}`, secretAccessKey: 's', sessionToken: 't', expiration };
    },
    newLimit: () => new AdaptiveLimit({ maxInFlight: 4 }),
    memberRoleName: 'cache-snapshot-orchestrator-member',
    memberExternalId: EXTERNAL_ID,
    clock: time.clock,
    onAssumeRoleFailed: (error) => failures.push(error),
    ...overrides,
  });
  const arnOf = async (placement: Placement) => (await placements.snapshots(placement).getCache('c'))?.arn;
  return { time, placements, built, assumed, failures, arnOf };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createPlacementClients', () => {
  it("gives the orchestrator's own placement today's gateway, building no client and no limit", async () => {
    const { built, assumed, arnOf } = harness();

    expect(await arnOf({ account: HOME.account, region: HOME.region })).toBe('home:own');
    expect(built).toEqual([]);
    expect(assumed).toEqual([]);
  });

  it('builds one gateway with an adaptive limit of its own per account and region, and keeps it', async () => {
    const { placements, built, arnOf } = harness();
    const places = [
      { account: MEMBER, region: 'us-east-1' },
      { account: MEMBER, region: 'eu-west-1' },
      { account: HOME.account, region: 'eu-west-1' },
    ];

    for (const place of [...places, ...places]) await arnOf(place);

    expect(built.map((entry) => entry.placement)).toEqual(places);
    expect(new Set(built.map((entry) => entry.access.limit)).size).toBe(3);
    expect(placements.snapshots({ account: MEMBER, region: 'eu-west-1' })).toBe(
      placements.snapshots({ account: MEMBER, region: 'eu-west-1' }),
    );
  });

  it("uses the orchestrator's own credentials in another region of its own account", async () => {
    const { built, assumed, arnOf } = harness();

    expect(await arnOf({ account: HOME.account, region: 'eu-west-1' })).toBe('123456789012/eu-west-1:own');
    expect(built[0]?.access.credentials).toBeUndefined();
    expect(assumed).toEqual([]);
  });

  it("assumes the member role in the home partition with the external ID, once for all the account's regions", async () => {
    const { built, assumed, arnOf } = harness({
      identify: async () => ({ ...HOME, partition: 'aws-us-gov' }),
    });

    const arns = await Promise.all(
      ['us-east-1', 'eu-west-1', 'us-east-1'].map((region) => arnOf({ account: MEMBER, region })),
    );

    expect(arns).toEqual([
      `${MEMBER}/us-east-1:ASIA1`,
      `${MEMBER}/eu-west-1:ASIA1`,
      `${MEMBER}/us-east-1:ASIA1`,
    ]);
    expect(assumed).toEqual([
      {
        roleArn: `arn:aws-us-gov:iam::${MEMBER}:role/cache-snapshot-orchestrator-member`,
        externalId: EXTERNAL_ID,
        sessionName: 'cache-snapshot-orchestrator',
      },
    ]);
    expect(built[0]?.access.credentials).toBe(built[1]?.access.credentials);
  });

  it("fails a refused account's calls with AssumeRoleFailed, reports it once, and the other placements go on", async () => {
    const { time, failures, assumed, arnOf } = harness();
    const denied = { account: DENIED, region: 'us-east-1' };

    const outcomes = await Promise.allSettled([
      arnOf(denied),
      arnOf({ account: MEMBER, region: 'us-east-1' }),
      arnOf({ account: HOME.account, region: HOME.region }),
      arnOf(denied),
    ]);
    time.advance(30_000);
    const again = await arnOf(denied).catch((error: unknown) => error);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    const [first] = outcomes;
    expect(first?.status === 'rejected' && first.reason).toMatchObject({
      name: 'AssumeRoleError',
      code: 'AssumeRoleFailed',
      stsCode: 'AccessDenied',
      faultClass: 'terminal',
      roleArn: `arn:aws:iam::${DENIED}:role/cache-snapshot-orchestrator-member`,
    });
    expect(again).toBe(first?.status === 'rejected' ? first.reason : undefined);
    expect(failures).toHaveLength(1);
    expect(assumed.map((request) => request.roleArn.split(':')[4])).toEqual([DENIED, MEMBER]);
  });

  it('fails member calls with AssumeRoleFailed without asking STS when the deployment has no external ID', async () => {
    const { assumed, failures, arnOf } = harness({ memberExternalId: undefined });

    const error = await arnOf({ account: MEMBER, region: 'us-east-1' }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: 'AssumeRoleFailed',
      stsCode: 'MissingExternalId',
      faultClass: 'terminal',
    });
    expect(failures).toEqual([error]);
    expect(assumed).toEqual([]);
    expect(await arnOf({ account: HOME.account, region: HOME.region })).toBe('home:own');
  });

  it('turns an unexpected AssumeRole failure into a transient AssumeRoleFailed', async () => {
    const { arnOf } = harness({
      assumeRole: async () => {
        throw new TypeError('socket closed');
      },
    });

    const error = await arnOf({ account: MEMBER, region: 'us-east-1' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AssumeRoleError);
    expect(error).toMatchObject({ stsCode: 'InternalError', faultClass: 'transient' });
    expect((error as Error).message).toContain('socket closed');
  });

  it('looks the orchestrator up once, and again after a failed lookup', async () => {
    let lookups = 0;
    const { placements, arnOf } = harness({
      identify: async () => {
        lookups += 1;
        if (lookups === 1) throw new SnapshotServiceError('Throttling', 'transient', 'slow down');
        return HOME;
      },
    });

    await expect(arnOf({ account: MEMBER, region: 'us-east-1' })).rejects.toMatchObject({
      code: 'Throttling',
    });
    await arnOf({ account: MEMBER, region: 'us-east-1' });
    await arnOf({ account: HOME.account, region: HOME.region });

    expect(await placements.home()).toEqual(HOME);
    expect(lookups).toBe(2);
  });
});

describe('reportAssumeRoleFailure', () => {
  it('logs the role and STS code under outcome AssumeRoleFailed and counts AssumeRoleFailures', () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const counted = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    const error = new AssumeRoleError('arn:aws:iam::1:role/r', 'AccessDenied', 'terminal', 'refused');

    reportAssumeRoleFailure(error);

    expect(logged).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({
        outcome: 'AssumeRoleFailed',
        roleArn: 'arn:aws:iam::1:role/r',
        errorCode: 'AccessDenied',
        error,
      }),
    );
    expect(counted).toHaveBeenCalledWith(METRIC.AssumeRoleFailures, 'Count', 1);
  });
});
