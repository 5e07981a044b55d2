import {
  CreateServerlessCacheSnapshotCommand,
  DeleteServerlessCacheSnapshotCommand,
  DescribeServerlessCacheSnapshotsCommand,
  InvalidServerlessCacheSnapshotStateFault,
  ListTagsForResourceCommand,
  ServerlessCacheSnapshotNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Fixture,
  HOUR,
  httpStatusOf,
  MINUTE,
  rejectionOf,
  START,
  startFixture,
  stopFixture,
} from './emulator-fixture';

const SNAPSHOT_ARN = 'arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:orders-nightly';

describe('snapshot lifecycle through the real SDK', () => {
  let fixture: Fixture;

  beforeEach(async () => {
    fixture = await startFixture();
    fixture.emulator.seedCache({ name: 'orders', engine: 'redis', majorEngineVersion: '7', bytesUsed: 4096 });
  });
  afterEach(() => stopFixture(fixture));

  const createNightly = () =>
    fixture.client.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: 'orders-nightly',
        ServerlessCacheName: 'orders',
        KmsKeyId: 'alias/cache-snapshots',
        Tags: [
          { Key: 'managed-by', Value: 'cache-snapshot-orchestrator' },
          { Key: 'empty', Value: '' },
        ],
      }),
    );

  it('answers a create with every field of the new snapshot, creating', async () => {
    const output = await createNightly();

    expect(output.ServerlessCacheSnapshot).toEqual({
      ServerlessCacheSnapshotName: 'orders-nightly',
      ARN: SNAPSHOT_ARN,
      KmsKeyId: 'alias/cache-snapshots',
      SnapshotType: 'manual',
      Status: 'creating',
      CreateTime: START,
      BytesUsedForCache: '4096',
      ServerlessCacheConfiguration: {
        ServerlessCacheName: 'orders',
        Engine: 'redis',
        MajorEngineVersion: '7',
      },
    });
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns a new snapshot available once the completion time has passed on the clock', async () => {
    await createNightly();
    const statusNow = async () => {
      const output = await fixture.client.send(
        new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: 'orders-nightly' }),
      );
      return output.ServerlessCacheSnapshots?.[0]?.Status;
    };

    fixture.clock.advance(5 * MINUTE - 1);
    expect(await statusNow()).toBe('creating');
    fixture.clock.advance(1);
    expect(await statusNow()).toBe('available');
    expect(fixture.emulator.snapshots().map((snapshot) => snapshot.status)).toEqual(['available']);
  });

  it('stores the tags given on create and lists them on the snapshot ARN', async () => {
    await createNightly();

    const output = await fixture.client.send(new ListTagsForResourceCommand({ ResourceName: SNAPSHOT_ARN }));

    expect(output.TagList).toEqual([
      { Key: 'managed-by', Value: 'cache-snapshot-orchestrator' },
      { Key: 'empty', Value: '' },
    ]);
  });

  it('refuses to delete a snapshot that is still creating', async () => {
    await createNightly();

    const error = await rejectionOf(
      fixture.client.send(
        new DeleteServerlessCacheSnapshotCommand({ ServerlessCacheSnapshotName: 'orders-nightly' }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidServerlessCacheSnapshotStateFault);
    expect(httpStatusOf(error)).toBe(400);
  });

  it('deletes an available snapshot, answering it as deleting, and forgets it', async () => {
    await createNightly();
    fixture.clock.advance(10 * MINUTE);

    const output = await fixture.client.send(
      new DeleteServerlessCacheSnapshotCommand({ ServerlessCacheSnapshotName: 'orders-nightly' }),
    );
    const lookup = await rejectionOf(
      fixture.client.send(
        new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: 'orders-nightly' }),
      ),
    );

    expect(output.ServerlessCacheSnapshot).toMatchObject({
      ServerlessCacheSnapshotName: 'orders-nightly',
      ARN: SNAPSHOT_ARN,
      Status: 'deleting',
      ServerlessCacheConfiguration: { ServerlessCacheName: 'orders' },
    });
    expect(lookup).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(httpStatusOf(lookup)).toBe(404);
    expect(fixture.emulator.snapshots()).toEqual([]);
  });

  it('answers ServerlessCacheSnapshotNotFoundFault when deleting a snapshot that does not exist', async () => {
    const error = await rejectionOf(
      fixture.client.send(
        new DeleteServerlessCacheSnapshotCommand({ ServerlessCacheSnapshotName: 'never-taken' }),
      ),
    );

    expect(error).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(httpStatusOf(error)).toBe(404);
  });

  it('describes seeded snapshots as taken earlier: a manual one and an automated one with its expiry', async () => {
    const taken = new Date(START.getTime() - 30 * HOUR);
    fixture.emulator.seedSnapshot({
      name: 'by-hand',
      cacheName: 'orders',
      createTime: taken,
      tags: { owner: 'ana' },
    });
    fixture.emulator.seedSnapshot({
      name: 'orders-auto',
      cacheName: 'orders',
      snapshotType: 'automated',
      createTime: taken,
      expiryTime: new Date(taken.getTime() + 35 * 24 * HOUR),
    });

    const output = await fixture.client.send(
      new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheName: 'orders' }),
    );
    const tags = await fixture.client.send(
      new ListTagsForResourceCommand({ ResourceName: fixture.emulator.snapshots()[0]?.arn }),
    );

    expect(output.ServerlessCacheSnapshots).toEqual([
      expect.objectContaining({
        ServerlessCacheSnapshotName: 'by-hand',
        SnapshotType: 'manual',
        Status: 'available',
        CreateTime: taken,
      }),
      expect.objectContaining({
        ServerlessCacheSnapshotName: 'orders-auto',
        SnapshotType: 'automated',
        ExpiryTime: new Date(taken.getTime() + 35 * 24 * HOUR),
        BytesUsedForCache: '4096',
      }),
    ]);
    expect(output.ServerlessCacheSnapshots?.[0]?.ExpiryTime).toBeUndefined();
    expect(tags.TagList).toEqual([{ Key: 'owner', Value: 'ana' }]);
  });

  it('keeps a seeded snapshot creating forever when its availableAt is null, until its status is set', async () => {
    fixture.emulator.seedSnapshot({
      name: 'stuck',
      cacheName: 'orders',
      status: 'creating',
      availableAt: null,
    });
    fixture.clock.advance(48 * HOUR);
    expect(fixture.emulator.snapshots()[0]?.status).toBe('creating');

    fixture.emulator.setSnapshotStatus('stuck', 'available');

    expect(fixture.emulator.snapshots()[0]?.status).toBe('available');
  });

  it('makes a snapshot vanish mid-creation so Describe no longer finds it and the cache is free again', async () => {
    await createNightly();

    fixture.emulator.removeSnapshot('orders-nightly');
    const lookup = await rejectionOf(
      fixture.client.send(
        new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: 'orders-nightly' }),
      ),
    );
    const next = await fixture.client.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: 'orders-again',
        ServerlessCacheName: 'orders',
      }),
    );

    expect(lookup).toBeInstanceOf(ServerlessCacheSnapshotNotFoundFault);
    expect(next.ServerlessCacheSnapshot?.Status).toBe('creating');
  });
});
