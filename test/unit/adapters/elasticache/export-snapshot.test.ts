import {
  ElastiCacheClient,
  ExportServerlessCacheSnapshotCommand,
  InvalidParameterValueException,
  InvalidServerlessCacheSnapshotStateFault,
  ServerlessCacheSnapshotNotFoundFault,
  ServiceLinkedRoleNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyExportError } from '#lib/adapters/elasticache/classify-export-error';
import {
  createElastiCacheClient,
  ElastiCacheSnapshotGateway,
} from '#lib/adapters/elasticache/snapshot-gateway';
import { type FaultClass, SnapshotServiceError } from '#lib/errors';
import { lazySnapshotGateway } from '#lib/snapshots/lazy-snapshot-gateway';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';

const elasticache = mockClient(ElastiCacheClient);
const at400 = (message: string) => ({ $metadata: { httpStatusCode: 400 }, message });

describe('classifyExportError', () => {
  it.each<[string, unknown, string, FaultClass]>([
    [
      'a snapshot still creating or exporting',
      new InvalidServerlessCacheSnapshotStateFault(at400('state')),
      'InvalidServerlessCacheSnapshotStateFault',
      'busy',
    ],
    [
      'a snapshot that does not exist',
      new ServerlessCacheSnapshotNotFoundFault({ $metadata: { httpStatusCode: 404 }, message: 'x' }),
      'ServerlessCacheSnapshotNotFoundFault',
      'not-found',
    ],
    [
      'a missing service-linked role',
      new ServiceLinkedRoleNotFoundFault(at400('no role')),
      'ServiceLinkedRoleNotFoundFault',
      'terminal',
    ],
    [
      'a missing bucket',
      new InvalidParameterValueException(at400('The S3 bucket orders-x does not exist.')),
      'InvalidParameterValue',
      'terminal',
    ],
    [
      'a bucket in another region',
      new InvalidParameterValueException(at400('The S3 bucket orders-x is outside of the region.')),
      'InvalidParameterValue',
      'terminal',
    ],
    [
      'write access not granted',
      new InvalidParameterValueException(
        at400('ElastiCache has not been granted WRITE permissions orders-x on the S3 Bucket.'),
      ),
      'InvalidParameterValue',
      'terminal',
    ],
    [
      'the object already there',
      new InvalidParameterValueException(
        at400('The S3 bucket orders-x already contains an object with key s-0001.rdb.'),
      ),
      'InvalidParameterValue',
      'already-exists',
    ],
  ])('classifies %s', (_, error, code, faultClass) => {
    const fault = classifyExportError(error, 'orders-x');

    expect(fault).toBeInstanceOf(SnapshotServiceError);
    expect(fault).toMatchObject({ code, faultClass });
  });

  it("names the bucket in every bucket refusal, keeping the service's message", () => {
    const fault = classifyExportError(
      new InvalidParameterValueException(at400('A parameter value is invalid.')),
      'orders-x',
    );

    expect(fault.message).toBe('Export to S3 bucket "orders-x" refused: A parameter value is invalid.');
    expect(fault.httpStatus).toBe(400);
  });
});

describe('ElastiCacheSnapshotGateway.exportSnapshot', () => {
  beforeEach(() => elasticache.reset());

  it('exports the named snapshot to the bucket and returns it, exporting', async () => {
    elasticache.on(ExportServerlessCacheSnapshotCommand).resolves({
      ServerlessCacheSnapshot: {
        ServerlessCacheSnapshotName: 'orders-20260101-0000-0a1b2c3d',
        ARN: 'arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:orders-20260101-0000-0a1b2c3d',
        Status: 'exporting',
        ServerlessCacheConfiguration: { ServerlessCacheName: 'orders' },
      },
    });
    const gateway = new ElastiCacheSnapshotGateway(createElastiCacheClient());

    const exported = await gateway.exportSnapshot('orders-20260101-0000-0a1b2c3d', 'orders-x');

    expect(exported).toMatchObject({
      name: 'orders-20260101-0000-0a1b2c3d',
      cacheName: 'orders',
      status: 'exporting',
    });
    expect(elasticache.commandCalls(ExportServerlessCacheSnapshotCommand)[0]?.args[0].input).toEqual({
      ServerlessCacheSnapshotName: 'orders-20260101-0000-0a1b2c3d',
      S3BucketName: 'orders-x',
    });
  });

  it('throws a refusal classified, naming the bucket', async () => {
    elasticache
      .on(ExportServerlessCacheSnapshotCommand)
      .rejects(new InvalidParameterValueException(at400('The S3 bucket orders-x does not exist.')));
    const gateway = new ElastiCacheSnapshotGateway(createElastiCacheClient());

    await expect(gateway.exportSnapshot('s', 'orders-x')).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      faultClass: 'terminal',
      message: 'Export to S3 bucket "orders-x" refused: The S3 bucket orders-x does not exist.',
    });
  });
});

describe('exports through the lazy gateway and the fake', () => {
  it('forwards exportSnapshot, which makes an available snapshot exporting and refuses a busy one', async () => {
    const fake = new FakeSnapshotGateway(['orders']);
    fake.seedSnapshot({ name: 's1', cacheName: 'orders' });
    const gateway = lazySnapshotGateway(async () => fake);

    const exported = await gateway.exportSnapshot('s1', 'orders-x');
    const again = await gateway.exportSnapshot('s1', 'orders-x').catch((error: unknown) => error);
    fake.completeExport('s1');

    expect(exported.status).toBe('exporting');
    expect(again).toMatchObject({ faultClass: 'busy' });
    expect(fake.snapshot('s1')?.status).toBe('available');
    expect(fake.exportRequests).toEqual([{ snapshotName: 's1', bucket: 'orders-x' }]);
  });
});
