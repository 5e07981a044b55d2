/**
 * The baseline of the tick CPU row (bench/rows/tick.ts): the SDK calls one scheduled snapshot cannot
 * avoid, and nothing else. For each cache: the claim (a conditional PutItem of a run record shaped like the
 * orchestrator's), CreateServerlessCacheSnapshot with the managed tags, and the outcome (a PutItem
 * conditional on the claim), with the plain SDK clients (default options, or `cacheMiddleware` as the
 * orchestrator's), the claims first and then Create + outcome per cache, `BARE_CONCURRENCY` at a time, as
 * the tick orders its phases.
 *
 * Bundled by the bench with the functions' esbuild options and run by bench/children/invoke-scheduler.cjs
 * like the scheduler bundle (`handler(event)`, the event's `time` as the slot), so both processes are
 * measured the same way. Nothing from lib/ is imported: this is what any code would have to do.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateServerlessCacheSnapshotCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';

/** `BARE_CACHE_MIDDLEWARE=true`: the clients as the orchestrator builds them; otherwise as `new Client({})`. */
const options = { cacheMiddleware: process.env.BARE_CACHE_MIDDLEWARE === 'true' };
const dynamo = new DynamoDBClient(options);
const elastiCache = new ElastiCacheClient(options);

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

const s = (value: string): AttributeValue => ({ S: value });

async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

interface Claim {
  readonly cacheName: string;
  readonly snapshotName: string;
  readonly item: Record<string, AttributeValue>;
}

function claimFor(cacheName: string, slot: string, owner: string): Claim {
  const now = new Date().toISOString();
  const lease = new Date(Date.now() + 5 * 60_000).toISOString();
  const hash = createHash('sha256').update(`${cacheName}\n${slot}`).digest('hex').slice(0, 8);
  const snapshotName = `${cacheName}-${slot.slice(0, 10).replaceAll('-', '')}-0000-${hash}`;
  const item = {
    policyId: s(cacheName),
    runKey: s(`${cacheName}#${slot}`),
    slot: s(slot),
    cacheName: s(cacheName),
    kind: s('SCHEDULED'),
    snapshotName: s(snapshotName),
    status: s('CLAIMED'),
    attempts: { N: '0' },
    createdAt: s(now),
    updatedAt: s(now),
    windowClosesAt: s(slot),
    leaseOwner: s(owner),
    leaseExpiresAt: s(lease),
    nextCheckAt: s(lease),
    openBucket: s('OPEN'),
  };
  return { cacheName, snapshotName, item };
}

/** Claims, creates and records one snapshot per cache `${BARE_CACHE_PREFIX}0..BARE_COUNT-1`. */
export async function handler(event: { time: string }): Promise<{ claimed: number }> {
  const table = env('RUNS_TABLE');
  const prefix = env('BARE_CACHE_PREFIX');
  const concurrency = Number(env('BARE_CONCURRENCY'));
  const caches = Array.from({ length: Number(env('BARE_COUNT')) }, (_, i) => `${prefix}${i}`);
  const owner = randomUUID();
  const claims: Claim[] = [];
  await eachBounded(caches, concurrency, async (cacheName) => {
    const claim = claimFor(cacheName, event.time, owner);
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: claim.item,
        ConditionExpression: 'attribute_not_exists(policyId)',
      }),
    );
    claims.push(claim);
  });
  await eachBounded(claims, concurrency, async (claim) => {
    const output = await elastiCache.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: claim.snapshotName,
        ServerlessCacheName: claim.cacheName,
        Tags: [
          { Key: 'managed-by', Value: 'cache-snapshot-orchestrator' },
          { Key: 'snapshot-policy-id', Value: claim.cacheName },
          { Key: 'snapshot-slot', Value: event.time },
        ],
      }),
    );
    const now = new Date().toISOString();
    const { leaseExpiresAt: _lease, ...claimed } = claim.item;
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...claimed,
          status: s('REQUESTED'),
          updatedAt: s(now),
          requestedAt: s(now),
          nextCheckAt: s(now),
          snapshotArn: s(output.ServerlessCacheSnapshot?.ARN ?? ''),
        },
        ConditionExpression: '#status = :claimed AND #owner = :owner',
        ExpressionAttributeNames: { '#status': 'status', '#owner': 'leaseOwner' },
        ExpressionAttributeValues: { ':claimed': s('CLAIMED'), ':owner': s(owner) },
      }),
    );
  });
  return { claimed: claims.length };
}
