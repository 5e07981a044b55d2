import {
  DescribeServerlessCachesCommand,
  ElastiCacheClient,
  ExportServerlessCacheSnapshotCommand,
} from '@aws-sdk/client-elasticache';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/stack';

const MEMBER = '210987654321';
const ROLE = `arn:aws:iam::${MEMBER}:role/cache-snapshot-orchestrator-member`;

describe('the local stack', () => {
  let stack: LocalStack | undefined;
  const saved = { ...process.env };
  afterEach(async () => {
    process.env = { ...saved };
    await stack?.stop();
    stack = undefined;
  });

  it('points clients built without an endpoint at STS, EventBridge and ElastiCache through its env', async () => {
    stack = await startLocalStack();
    Object.assign(process.env, stack.env);
    stack.sts.trustRole(ROLE, { externalId: 'x-id' });
    stack.emulator.partition(MEMBER, 'us-east-1').seedCache({ name: 'member-cache' });

    const assumed = await new STSClient({}).send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'tick', ExternalId: 'x-id' }),
    );
    const member = new ElastiCacheClient({
      credentials: {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
        sessionToken: assumed.Credentials?.SessionToken ?? '',
      },
    });
    const caches = await member.send(new DescribeServerlessCachesCommand({}));
    const put = await new EventBridgeClient({}).send(
      new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
    );

    expect(stack.env).toMatchObject({
      AWS_ENDPOINT_URL_STS: stack.sts.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: stack.eventBridge.endpoint,
      DEPLOYMENT_NAME: 'cache-snapshot-orchestrator-local',
    });
    expect(stack.env.AWS_ENDPOINT_URL_S3).toBeUndefined();
    expect(caches.ServerlessCaches?.map((cache) => cache.ServerlessCacheName)).toEqual(['member-cache']);
    expect(put.FailedEntryCount).toBe(0);
    expect(stack.eventBridge.events()).toHaveLength(1);
  });

  it('starts the local S3 when asked, and the emulator exports into it', async () => {
    stack = await startLocalStack({
      s3: true,
      deploymentName: 'orchestrator-test',
      emulator: { exportCompletionMs: 0 },
    });
    Object.assign(process.env, stack.env);
    await stack.s3?.createBucket('exports');
    stack.emulator.seedCache({ name: 'orders' });
    stack.emulator.seedSnapshot({ name: 'orders-nightly', cacheName: 'orders' });

    await new ElastiCacheClient({}).send(
      new ExportServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: 'orders-nightly',
        S3BucketName: 'exports',
      }),
    );
    await stack.emulator.settle();
    const listed = await new S3Client({ forcePathStyle: true }).send(
      new ListObjectsV2Command({ Bucket: 'exports' }),
    );

    expect(stack.env).toMatchObject({
      AWS_ENDPOINT_URL_S3: stack.s3?.endpoint,
      DEPLOYMENT_NAME: 'orchestrator-test',
    });
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['orders-nightly-0001.rdb']);
  });
});
