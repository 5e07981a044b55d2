import {
  CreateServerlessCacheSnapshotCommand,
  DescribeServerlessCachesCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRegistry } from '#local/identity/credential-registry';
import { type Fixture, rejectionOf, startFixture, stopFixture } from './emulator-fixture';

const MEMBER = '210987654321';

describe('partitions per account and region', () => {
  let fixture: Fixture;
  let registry: CredentialRegistry;
  let identityTime: Date;
  const clients: ElastiCacheClient[] = [];

  beforeEach(async () => {
    identityTime = new Date('2025-03-01T00:00:00.000Z');
    registry = new CredentialRegistry('123456789012', () => identityTime);
    registry.addLongTermKey('MEMBERKEY', MEMBER);
    fixture = await startFixture({ credentials: registry });
    fixture.emulator.seedCache({ name: 'orders' });
    fixture.emulator.partition(MEMBER, 'us-east-1').seedCache({ name: 'billing' });
    fixture.emulator.partition('123456789012', 'eu-west-1').seedCache({ name: 'sessions' });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await stopFixture(fixture);
  });

  function client(
    region: string,
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  ) {
    const created = new ElastiCacheClient({
      endpoint: fixture.emulator.endpoint,
      region,
      credentials,
      maxAttempts: 1,
    });
    clients.push(created);
    return created;
  }
  const names = async (target: ElastiCacheClient) =>
    ((await target.send(new DescribeServerlessCachesCommand({}))).ServerlessCaches ?? []).map((cache) => [
      cache.ServerlessCacheName,
      cache.ARN,
    ]);

  it('answers each account its own caches, and each region of an account its own, with ARNs to match', async () => {
    const home = await names(fixture.client);
    const member = await names(client('us-east-1', { accessKeyId: 'MEMBERKEY', secretAccessKey: 's' }));
    const europe = await names(client('eu-west-1', { accessKeyId: 'any', secretAccessKey: 's' }));

    expect(home).toEqual([['orders', 'arn:aws:elasticache:us-east-1:123456789012:serverlesscache:orders']]);
    expect(member).toEqual([['billing', `arn:aws:elasticache:us-east-1:${MEMBER}:serverlesscache:billing`]]);
    expect(europe).toEqual([
      ['sessions', 'arn:aws:elasticache:eu-west-1:123456789012:serverlesscache:sessions'],
    ]);
    expect(fixture.emulator.calls.map((call) => [call.accountId, call.region])).toEqual([
      ['123456789012', 'us-east-1'],
      [MEMBER, 'us-east-1'],
      ['123456789012', 'eu-west-1'],
    ]);
  });

  it('maps temporary credentials to the account they were issued for, and refuses them expired or without their token', async () => {
    const issued = registry.issue({
      accountId: MEMBER,
      arn: `arn:aws:sts::${MEMBER}:assumed-role/member/test`,
      userId: 'AROAEXAMPLE:test',
      durationSeconds: 900,
    });
    const withToken = client('us-east-1', issued);
    const withoutToken = client('us-east-1', {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
    });

    expect(await names(withToken)).toEqual([['billing', expect.any(String)]]);
    expect(await rejectionOf(names(withoutToken))).toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    identityTime = new Date(identityTime.getTime() + 900_000);
    expect(await rejectionOf(names(withToken))).toMatchObject({ name: 'ExpiredToken' });
  });

  it('limits the request rate of each partition on its own', async () => {
    const member = fixture.emulator.partition(MEMBER, 'us-east-1');
    member.setRateLimit(2);
    const memberClient = client('us-east-1', { accessKeyId: 'MEMBERKEY', secretAccessKey: 's' });
    const outcomes: string[] = [];

    for (let index = 0; index < 3; index += 1) {
      outcomes.push(
        await names(memberClient).then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      );
    }
    for (let index = 0; index < 3; index += 1) await names(fixture.client);

    expect(outcomes).toEqual(['ok', 'ok', 'Throttling']);
    expect(fixture.emulator.calls.filter((call) => call.outcome === 'Throttling')).toHaveLength(1);
  });

  it('keeps snapshots, quotas and names per partition', async () => {
    const member = client('us-east-1', { accessKeyId: 'MEMBERKEY', secretAccessKey: 's' });
    await fixture.client.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: 'same-name',
        ServerlessCacheName: 'orders',
      }),
    );
    const created = await member.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: 'same-name',
        ServerlessCacheName: 'billing',
      }),
    );

    expect(created.ServerlessCacheSnapshot?.ARN).toBe(
      `arn:aws:elasticache:us-east-1:${MEMBER}:serverlesscachesnapshot:same-name`,
    );
    expect(fixture.emulator.snapshots().map((snapshot) => snapshot.cacheName)).toEqual(['orders']);
    expect(
      fixture.emulator
        .partition(MEMBER, 'us-east-1')
        .snapshots()
        .map((snapshot) => snapshot.cacheName),
    ).toEqual(['billing']);
    expect(
      fixture.emulator.partitions().map((partition) => `${partition.accountId}/${partition.region}`),
    ).toEqual(['123456789012/us-east-1', `${MEMBER}/us-east-1`, '123456789012/eu-west-1']);
  });
});
