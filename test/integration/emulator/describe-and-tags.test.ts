import {
  AddTagsToResourceCommand,
  DescribeServerlessCacheSnapshotsCommand,
  DescribeServerlessCachesCommand,
  InvalidARNFault,
  InvalidParameterValueException,
  ListTagsForResourceCommand,
  paginateDescribeServerlessCacheSnapshots,
  ServerlessCacheNotFoundFault,
  ServerlessCacheSnapshotNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Fixture,
  httpStatusOf,
  rejectionOf,
  START,
  startFixture,
  stopFixture,
} from './emulator-fixture';

describe('Describe, ListTagsForResource and AddTagsToResource', () => {
  let fixture: Fixture;

  beforeEach(async () => {
    fixture = await startFixture();
    fixture.emulator.seedCache({ name: 'orders', tags: { team: 'checkout' } });
    fixture.emulator.seedCache({ name: 'sessions', engine: 'memcached', status: 'modifying' });
    fixture.emulator.seedCache({ name: 'catalog', engine: 'redis' });
  });
  afterEach(() => stopFixture(fixture));

  function seedSnapshots(cacheName: string, count: number): string[] {
    return Array.from({ length: count }, (_, index) => {
      const name = `${cacheName}-${String(index).padStart(4, '0')}`;
      fixture.emulator.seedSnapshot({ name, cacheName });
      return name;
    });
  }

  it('pages snapshots of a cache 50 at a time by default, in a stable order, ending without a NextToken', async () => {
    const names = seedSnapshots('orders', 120);
    seedSnapshots('catalog', 5);

    const first = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheName: 'orders' }),
    );
    const second = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({
        ServerlessCacheName: 'orders',
        NextToken: first.NextToken,
      }),
    );
    const third = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({
        ServerlessCacheName: 'orders',
        NextToken: second.NextToken,
      }),
    );

    expect(first.ServerlessCacheSnapshots).toHaveLength(50);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.ServerlessCacheSnapshots).toHaveLength(50);
    expect(third.ServerlessCacheSnapshots).toHaveLength(20);
    expect(third.NextToken).toBeUndefined();
    const seen = [first, second, third].flatMap((page) =>
      (page.ServerlessCacheSnapshots ?? []).map((snapshot) => snapshot.ServerlessCacheSnapshotName),
    );
    expect(seen).toEqual(names);
  });

  it('neither repeats nor skips snapshots when one is deleted between pages', async () => {
    const names = seedSnapshots('orders', 30);
    const paged: string[] = [];

    for await (const page of paginateDescribeServerlessCacheSnapshots(
      { client: fixture.client, pageSize: 10 },
      { ServerlessCacheName: 'orders' },
    )) {
      paged.push(
        ...(page.ServerlessCacheSnapshots ?? []).map(
          (snapshot) => snapshot.ServerlessCacheSnapshotName ?? '',
        ),
      );
      if (paged.length === 10) fixture.emulator.removeSnapshot(names[0] ?? '');
    }

    expect(paged).toEqual(names);
  });

  it('refuses MaxResults above 50 as InvalidParameterValue', async () => {
    const error = await rejectionOf(
      fixture.client.send(new DescribeServerlessCacheSnapshotsCommand({ MaxResults: 51 })),
    );

    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(httpStatusOf(error)).toBe(400);
  });

  it('refuses a NextToken it did not issue as InvalidParameterValue', async () => {
    const error = await rejectionOf(
      fixture.client.send(new DescribeServerlessCacheSnapshotsCommand({ NextToken: 'not-a-token' })),
    );

    expect(error).toBeInstanceOf(InvalidParameterValueException);
  });

  it('filters snapshots by type and by name, across caches', async () => {
    seedSnapshots('orders', 2);
    fixture.emulator.seedSnapshot({ name: 'catalog-auto', cacheName: 'catalog', snapshotType: 'automated' });

    const automated = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({ SnapshotType: 'automated' }),
    );
    const byName = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: 'orders-0001' }),
    );
    const wrongCache = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({
        ServerlessCacheSnapshotName: 'orders-0001',
        ServerlessCacheName: 'catalog',
      }),
    );

    expect(
      automated.ServerlessCacheSnapshots?.map((snapshot) => snapshot.ServerlessCacheSnapshotName),
    ).toEqual(['catalog-auto']);
    expect(automated.ServerlessCacheSnapshots?.[0]?.ServerlessCacheConfiguration?.Engine).toBe('redis');
    expect(byName.ServerlessCacheSnapshots?.map((snapshot) => snapshot.ServerlessCacheSnapshotName)).toEqual([
      'orders-0001',
    ]);
    expect(wrongCache.ServerlessCacheSnapshots).toEqual([]);
  });

  it('answers 404 faults when describing snapshots of an unknown cache or an unknown snapshot name', async () => {
    const unknownCache = await rejectionOf(
      fixture.client.send(new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheName: 'ghost' })),
    );
    const unknownSnapshot = await rejectionOf(
      fixture.client.send(
        new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: 'ghost-1' }),
      ),
    );

    expect(unknownCache).toBeInstanceOf(ServerlessCacheNotFoundFault);
    expect(httpStatusOf(unknownCache)).toBe(404);
    expect(unknownSnapshot).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(httpStatusOf(unknownSnapshot)).toBe(404);
  });

  it('describes a cache by name with its fields filled', async () => {
    const output = await fixture.client.send(
      new DescribeServerlessCachesCommand({ ServerlessCacheName: 'sessions' }),
    );

    expect(output.ServerlessCaches).toEqual([
      expect.objectContaining({
        ServerlessCacheName: 'sessions',
        ARN: 'arn:aws:elasticache:us-east-1:123456789012:serverlesscache:sessions',
        Engine: 'memcached',
        MajorEngineVersion: '1.6',
        Status: 'modifying',
        CreateTime: START,
        Endpoint: {
          Address: expect.stringMatching(/^sessions-.*\.serverless\.use1\.cache\.amazonaws\.com$/),
          Port: 11211,
        },
      }),
    ]);
  });

  it('pages caches with MaxResults and NextToken', async () => {
    const first = await fixture.client.send(new DescribeServerlessCachesCommand({ MaxResults: 2 }));
    const second = await fixture.client.send(
      new DescribeServerlessCachesCommand({ MaxResults: 2, NextToken: first.NextToken }),
    );

    expect(first.ServerlessCaches?.map((cache) => cache.ServerlessCacheName)).toEqual(['orders', 'sessions']);
    expect(second.ServerlessCaches?.map((cache) => cache.ServerlessCacheName)).toEqual(['catalog']);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers ServerlessCacheNotFoundFault with HTTP 404 when describing an unknown cache', async () => {
    const error = await rejectionOf(
      fixture.client.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: 'ghost' })),
    );

    expect(error).toBeInstanceOf(ServerlessCacheNotFoundFault);
    expect(httpStatusOf(error)).toBe(404);
  });

  it('lists the tags of a cache by its ARN', async () => {
    const output = await fixture.client.send(
      new ListTagsForResourceCommand({
        ResourceName: 'arn:aws:elasticache:us-east-1:123456789012:serverlesscache:orders',
      }),
    );

    expect(output.TagList).toEqual([{ Key: 'team', Value: 'checkout' }]);
  });

  it('adds tags to a snapshot by its ARN, overwriting a key already there, and answers the tags it now has', async () => {
    fixture.emulator.seedSnapshot({
      name: 'orders-0001',
      cacheName: 'orders',
      tags: { team: 'a', keep: 'x' },
    });
    const arn = 'arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:orders-0001';

    const output = await fixture.client.send(
      new AddTagsToResourceCommand({
        ResourceName: arn,
        Tags: [
          { Key: 'team', Value: 'b' },
          { Key: 'new', Value: '' },
        ],
      }),
    );
    const listed = await fixture.client.send(new ListTagsForResourceCommand({ ResourceName: arn }));

    const expected = [
      { Key: 'team', Value: 'b' },
      { Key: 'keep', Value: 'x' },
      { Key: 'new', Value: '' },
    ];
    expect(output.TagList).toEqual(expected);
    expect(listed.TagList).toEqual(expected);
  });

  it('refuses to tag an unknown snapshot (NotFound) or to pass 50 tags (TagQuotaPerResourceExceeded)', async () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']));
    fixture.emulator.seedSnapshot({ name: 'orders-0002', cacheName: 'orders', tags });
    const arn = (name: string) =>
      `arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:${name}`;
    const addTag = (name: string) =>
      rejectionOf(
        fixture.client.send(
          new AddTagsToResourceCommand({ ResourceName: arn(name), Tags: [{ Key: 'one', Value: 'more' }] }),
        ),
      );

    expect(await addTag('ghost')).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(await addTag('orders-0002')).toMatchObject({ name: 'TagQuotaPerResourceExceeded' });
  });

  it('answers the matching NotFound fault for unknown snapshot and cache ARNs, and InvalidARN for garbage', async () => {
    const listTags = (arn: string) =>
      rejectionOf(fixture.client.send(new ListTagsForResourceCommand({ ResourceName: arn })));

    const snapshot = await listTags(
      'arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:ghost',
    );
    const otherAccount = await listTags('arn:aws:elasticache:us-east-1:999999999999:serverlesscache:orders');
    const garbage = await listTags('orders');

    expect(snapshot).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(httpStatusOf(snapshot)).toBe(404);
    expect(otherAccount).toBeInstanceOf(ServerlessCacheNotFoundFault);
    expect(garbage).toBeInstanceOf(InvalidARNFault);
    expect(httpStatusOf(garbage)).toBe(400);
  });
});
