import { DescribeServerlessCachesCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '#local/emulator/index';
import { CredentialRegistry } from '#local/identity/credential-registry';
import { type LocalSts, startLocalSts } from '#local/sts/index';

const HOME = '123456789012';
const MEMBER = '210987654321';
const ROLE = `arn:aws:iam::${MEMBER}:role/cache-snapshot-orchestrator-member`;
const START = new Date('2025-03-01T00:00:00.000Z');

describe('the local STS through the real SDK', () => {
  let now: Date;
  let registry: CredentialRegistry;
  let sts: LocalSts;
  let emulator: Emulator;
  let client: STSClient;

  beforeEach(async () => {
    now = START;
    registry = new CredentialRegistry(HOME, () => now);
    sts = await startLocalSts({ credentials: registry });
    emulator = await startEmulator({ credentials: registry });
    emulator.partition(MEMBER, 'eu-west-1').seedCache({ name: 'member-cache' });
    sts.trustRole(ROLE, { externalId: 'deployment-secret', trustedAccounts: [HOME] });
    client = new STSClient({
      endpoint: sts.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterEach(async () => {
    client.destroy();
    await Promise.all([sts.stop(), emulator.stop()]);
  });

  const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
    client.send(
      new AssumeRoleCommand({
        RoleArn: ROLE,
        RoleSessionName: 'tick',
        ExternalId: 'deployment-secret',
        ...input,
      }),
    );

  it('issues credentials for the role with the expiry asked for, which reach the member account in the emulator', async () => {
    const output = await assume({ DurationSeconds: 900 });
    const credentials = output.Credentials;
    const member = new ElastiCacheClient({
      endpoint: emulator.endpoint,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: credentials?.AccessKeyId ?? '',
        secretAccessKey: credentials?.SecretAccessKey ?? '',
        sessionToken: credentials?.SessionToken ?? '',
      },
    });
    const caches = await member.send(new DescribeServerlessCachesCommand({}));
    member.destroy();

    expect(credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials?.SessionToken).toEqual(expect.any(String));
    expect(credentials?.Expiration).toEqual(new Date(START.getTime() + 900_000));
    expect(output.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/cache-snapshot-orchestrator-member/tick`,
      AssumedRoleId: expect.stringMatching(/^AROA[0-9A-F]{17}:tick$/),
    });
    expect(caches.ServerlessCaches?.map((cache) => cache.ARN)).toEqual([
      `arn:aws:elasticache:eu-west-1:${MEMBER}:serverlesscache:member-cache`,
    ]);
    expect(sts.calls).toEqual([
      expect.objectContaining({
        action: 'AssumeRole',
        callerAccountId: HOME,
        roleArn: ROLE,
        externalId: 'deployment-secret',
        durationSeconds: 900,
        outcome: 'ok',
      }),
    ]);
  });

  it('says who is calling, with the default and with the issued credentials', async () => {
    const output = await assume();
    const asRole = new STSClient({
      endpoint: sts.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: output.Credentials?.AccessKeyId ?? '',
        secretAccessKey: output.Credentials?.SecretAccessKey ?? '',
        sessionToken: output.Credentials?.SessionToken ?? '',
      },
    });

    const home = await client.send(new GetCallerIdentityCommand({}));
    const member = await asRole.send(new GetCallerIdentityCommand({}));
    asRole.destroy();

    expect(home).toMatchObject({ Account: HOME, Arn: `arn:aws:iam::${HOME}:user/local` });
    expect(member).toMatchObject({ Account: MEMBER, Arn: output.AssumedRoleUser?.Arn });
  });

  it('answers AccessDenied for a wrong or missing external ID, an untrusted role, and a denied role or account', async () => {
    const denied = async (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      assume(input).then(
        () => 'issued',
        (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
          `${error.name} ${error.$metadata?.httpStatusCode}`,
      );

    expect(await denied({ ExternalId: 'guess' })).toBe('AccessDenied 403');
    expect(await denied({ ExternalId: undefined })).toBe('AccessDenied 403');
    expect(await denied({ RoleArn: `arn:aws:iam::${MEMBER}:role/other` })).toBe('AccessDenied 403');
    sts.denyRole(ROLE);
    expect(await denied({})).toBe('AccessDenied 403');
    sts.denyRole(ROLE, false);
    sts.denyAccount(MEMBER);
    expect(await denied({})).toBe('AccessDenied 403');
    sts.denyAccount(MEMBER, false);
    expect(await denied({})).toBe('issued');
    const message = await assume({ ExternalId: 'guess' }).catch((error: Error) => error.message);
    expect(message).toBe(
      `User: arn:aws:iam::${HOME}:user/local is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    );
  });

  it('refuses durations outside 900 s to the role maximum, and bad session names, as ValidationError', async () => {
    const refused = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      assume(input).catch((error: Error) => error.name);

    expect(await refused({ DurationSeconds: 899 })).toBe('ValidationError');
    expect(await refused({ DurationSeconds: 3601 })).toBe('ValidationError');
    expect(await refused({ RoleSessionName: 'a b' })).toBe('ValidationError');
    sts.trustRole(ROLE, { externalId: 'deployment-secret', maxSessionDurationSeconds: 7200 });
    expect((await assume({ DurationSeconds: 7200 })).Credentials?.Expiration).toEqual(
      new Date(START.getTime() + 7_200_000),
    );
  });

  it('lets issued credentials expire on the clock: the emulator then answers ExpiredToken', async () => {
    const output = await assume({ DurationSeconds: 900 });
    const member = new ElastiCacheClient({
      endpoint: emulator.endpoint,
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: {
        accessKeyId: output.Credentials?.AccessKeyId ?? '',
        secretAccessKey: output.Credentials?.SecretAccessKey ?? '',
        sessionToken: output.Credentials?.SessionToken ?? '',
      },
    });
    now = new Date(START.getTime() + 899_000);
    await member.send(new DescribeServerlessCachesCommand({}));
    now = new Date(START.getTime() + 900_000);

    const expired = await member
      .send(new DescribeServerlessCachesCommand({}))
      .catch((error: Error) => error.name);
    member.destroy();

    expect(expired).toBe('ExpiredToken');
  });
});
