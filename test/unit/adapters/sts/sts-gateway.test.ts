import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  RegionDisabledException,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyStsError, createStsClient, StsGateway } from '#lib/adapters/sts/sts-gateway';
import { AssumeRoleError, SnapshotServiceError } from '#lib/errors';

const sts = mockClient(STSClient);
const ROLE = 'arn:aws:iam::210987654321:role/cache-snapshot-orchestrator-member';
const REQUEST = { roleArn: ROLE, externalId: 'deployment-id', sessionName: 'cache-snapshot-orchestrator' };
const EXPIRATION = new Date('2025-03-01T01:00:00.000Z');

function stsFault(name: string, httpStatusCode: number): STSServiceException {
  return new STSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });
}

function gateway(): StsGateway {
  return new StsGateway(createStsClient({ region: 'eu-west-1' }));
}

beforeEach(() => {
  sts.reset();
});

describe('StsGateway.assumeRole', () => {
  it('asks for the role with the external ID and session name, and returns its credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: EXPIRATION,
      },
    });

    const credentials = await gateway().assumeRole(REQUEST);

    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: EXPIRATION,
    });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'cache-snapshot-orchestrator', ExternalId: 'deployment-id' },
    ]);
  });

  it('fails with AssumeRoleFailed, terminal and naming the role, when STS refuses', async () => {
    sts.on(AssumeRoleCommand).rejects(stsFault('AccessDenied', 403));

    const error = await gateway()
      .assumeRole(REQUEST)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AssumeRoleError);
    expect(error).toMatchObject({
      code: 'AssumeRoleFailed',
      stsCode: 'AccessDenied',
      faultClass: 'terminal',
      roleArn: ROLE,
      httpStatus: 403,
    });
    expect((error as Error).message).toBe(`could not assume ${ROLE}: AccessDenied: AccessDenied`);
  });

  it('fails with AssumeRoleFailed, transient, when STS throttles or fails', async () => {
    for (const fault of [stsFault('Throttling', 400), stsFault('InternalFailure', 500)]) {
      sts.reset();
      sts.on(AssumeRoleCommand).rejects(fault);

      const error = await gateway()
        .assumeRole(REQUEST)
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({ code: 'AssumeRoleFailed', stsCode: fault.name, faultClass: 'transient' });
    }
  });

  it('fails with AssumeRoleFailed when STS answers without complete credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: undefined });

    const error = await gateway()
      .assumeRole(REQUEST)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'AssumeRoleFailed', stsCode: 'IncompleteCredentials' });
  });
});

describe('StsGateway.callerIdentity', () => {
  it("gives the caller's account, the partition of its ARN and the client's region", async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: '123456789012',
      Arn: 'arn:aws-cn:sts::123456789012:assumed-role/scheduler/cache-snapshot-orchestrator-dev-scheduler',
    });

    expect(await gateway().callerIdentity()).toEqual({
      account: '123456789012',
      partition: 'aws-cn',
      region: 'eu-west-1',
    });
  });

  it('fails as a classified service error', async () => {
    sts.on(GetCallerIdentityCommand).rejects(stsFault('ServiceUnavailable', 503));

    const error = await gateway()
      .callerIdentity()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SnapshotServiceError);
    expect(error).toMatchObject({ code: 'ServiceUnavailable', faultClass: 'transient' });
  });
});

describe('classifyStsError', () => {
  it.each([
    ['a modelled refusal', new RegionDisabledException({ $metadata: {}, message: 'off' }), 'terminal'],
    ['an unmodelled refusal', stsFault('AccessDenied', 403), 'terminal'],
    ['throttling', stsFault('Throttling', 400), 'transient'],
    ['HTTP 503', stsFault('ServiceUnavailable', 503), 'transient'],
    ['a network failure', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'transient'],
  ])('classifies %s', (_, error, faultClass) => {
    expect(classifyStsError(error).faultClass).toBe(faultClass);
  });

  it('keeps an error already translated', () => {
    const translated = new AssumeRoleError(ROLE, 'AccessDenied', 'terminal', 'no');

    expect(classifyStsError(translated)).toBe(translated);
  });
});
