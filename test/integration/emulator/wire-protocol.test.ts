import {
  CopyServerlessCacheSnapshotCommand,
  DescribeServerlessCachesCommand,
  ElastiCacheClient,
  ElastiCacheServiceException,
} from '@aws-sdk/client-elasticache';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Fixture,
  httpStatusOf,
  postForm,
  rejectionOf,
  SIGNED,
  startFixture,
  stopFixture,
} from './emulator-fixture';

describe('the AWS Query wire protocol', () => {
  let fixture: Fixture;

  beforeEach(async () => {
    fixture = await startFixture();
    fixture.emulator.seedCache({ name: 'orders' });
    fixture.emulator.seedSnapshot({ name: 'orders-a', cacheName: 'orders', tags: { k: 'v' } });
  });
  afterEach(() => stopFixture(fixture));

  it('wraps a result in <ActionResponse><ActionResult> with the request id in the body and the header', async () => {
    const { response, xml } = await postForm(
      fixture.emulator.endpoint,
      { Action: 'DescribeServerlessCacheSnapshots' },
      SIGNED,
    );
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const root = parsed.DescribeServerlessCacheSnapshotsResponse;

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(root['@_xmlns']).toBe('http://elasticache.amazonaws.com/doc/2015-02-02/');
    expect(
      root.DescribeServerlessCacheSnapshotsResult.ServerlessCacheSnapshots.ServerlessCacheSnapshot,
    ).toMatchObject({
      ServerlessCacheSnapshotName: 'orders-a',
    });
    expect(root.ResponseMetadata.RequestId).toBe(response.headers.get('x-amzn-requestid'));
  });

  it('writes caches as <member> items and tags as <Tag> items', async () => {
    const caches = await postForm(fixture.emulator.endpoint, { Action: 'DescribeServerlessCaches' }, SIGNED);
    const tags = await postForm(
      fixture.emulator.endpoint,
      { Action: 'ListTagsForResource', ResourceName: fixture.emulator.snapshots()[0]?.arn ?? '' },
      SIGNED,
    );

    expect(caches.xml).toContain(
      '<ServerlessCaches><member><ServerlessCacheName>orders</ServerlessCacheName>',
    );
    expect(tags.xml).toContain('<TagList><Tag><Key>k</Key><Value>v</Value></Tag></TagList>');
  });

  it('answers 403 MissingAuthenticationToken to a request without an Authorization header', async () => {
    const { response, xml } = await postForm(fixture.emulator.endpoint, {
      Action: 'DescribeServerlessCaches',
    });
    const error = new XMLParser().parse(xml).ErrorResponse;

    expect(response.status).toBe(403);
    expect(error.Error).toEqual({
      Type: 'Sender',
      Code: 'MissingAuthenticationToken',
      Message: 'Request is missing Authentication Token',
    });
    expect(error.RequestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(fixture.emulator.calls.map((call) => call.outcome)).toEqual(['MissingAuthenticationToken']);
  });

  it('answers 400 InvalidAction to an action it does not know', async () => {
    const { response, xml } = await postForm(
      fixture.emulator.endpoint,
      { Action: 'RebootTheInternet' },
      SIGNED,
    );

    expect(response.status).toBe(400);
    expect(new XMLParser().parse(xml).ErrorResponse.Error).toMatchObject({
      Type: 'Sender',
      Code: 'InvalidAction',
    });
  });

  it('surfaces InvalidAction through the SDK for an operation the emulator does not implement', async () => {
    const error = await rejectionOf(
      fixture.client.send(
        new CopyServerlessCacheSnapshotCommand({
          SourceServerlessCacheSnapshotName: 'orders-a',
          TargetServerlessCacheSnapshotName: 'orders-b',
        }),
      ),
    );

    expect(error).toBeInstanceOf(ElastiCacheServiceException);
    expect(error).toMatchObject({ name: 'InvalidAction' });
    expect(httpStatusOf(error)).toBe(400);
  });

  it('is reached by a client built without an endpoint through AWS_ENDPOINT_URL_ELASTICACHE', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_ELASTICACHE;
    process.env.AWS_ENDPOINT_URL_ELASTICACHE = fixture.emulator.endpoint;
    const client = new ElastiCacheClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    try {
      const output = await client.send(new DescribeServerlessCachesCommand({}));

      expect(output.ServerlessCaches?.map((cache) => cache.ServerlessCacheName)).toEqual(['orders']);
    } finally {
      client.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_ELASTICACHE;
      else process.env.AWS_ENDPOINT_URL_ELASTICACHE = previous;
    }
  });
});
