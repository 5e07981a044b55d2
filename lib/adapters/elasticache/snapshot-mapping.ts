/** SDK output shapes to the orchestrator's SnapshotInfo and CacheInfo (lib/snapshots). */
import type { ServerlessCache, ServerlessCacheSnapshot } from '@aws-sdk/client-elasticache';
import { SnapshotServiceError } from '#lib/errors';
import type { CacheInfo, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';

/**
 * A malformed answer (the SDK parses a wrong XML shape into an output without fields, silently):
 * terminal, so it surfaces instead of being retried into a misleading outcome.
 */
function invalidResponse(what: string): SnapshotServiceError {
  return new SnapshotServiceError('InvalidResponse', 'terminal', `ElastiCache answered without ${what}`);
}

function parseBytes(bytes: string | undefined): number | undefined {
  if (bytes === undefined || bytes.trim() === '') return undefined;
  const value = Number(bytes);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The SnapshotInfo of one SDK snapshot. `knownCacheName` (the cache asked about, when there is one) stands
 * in when the answer leaves out ServerlessCacheConfiguration.
 */
export function toSnapshotInfo(
  snapshot: ServerlessCacheSnapshot | undefined,
  knownCacheName?: string,
): SnapshotInfo {
  if (snapshot?.ServerlessCacheSnapshotName === undefined) throw invalidResponse('a snapshot name');
  if (snapshot.ARN === undefined) throw invalidResponse(`the ARN of ${snapshot.ServerlessCacheSnapshotName}`);
  const cacheName = snapshot.ServerlessCacheConfiguration?.ServerlessCacheName ?? knownCacheName;
  if (cacheName === undefined) throw invalidResponse(`the cache of ${snapshot.ServerlessCacheSnapshotName}`);
  return {
    name: snapshot.ServerlessCacheSnapshotName,
    arn: snapshot.ARN,
    cacheName,
    status: snapshot.Status ?? 'unknown',
    snapshotType: snapshot.SnapshotType ?? 'unknown',
    createTime: snapshot.CreateTime,
    bytesUsedForCache: parseBytes(snapshot.BytesUsedForCache),
    kmsKeyId: snapshot.KmsKeyId,
    engine: snapshot.ServerlessCacheConfiguration?.Engine,
    majorEngineVersion: snapshot.ServerlessCacheConfiguration?.MajorEngineVersion,
  };
}

/** The CacheInfo of one SDK serverless cache. */
export function toCacheInfo(cache: ServerlessCache | undefined): CacheInfo {
  if (cache?.ServerlessCacheName === undefined) throw invalidResponse('a cache name');
  return {
    name: cache.ServerlessCacheName,
    status: cache.Status ?? 'unknown',
    engine: cache.Engine,
    majorEngineVersion: cache.MajorEngineVersion,
    arn: cache.ARN,
    subnetIds: cache.SubnetIds ?? [],
    securityGroupIds: cache.SecurityGroupIds ?? [],
    createTime: cache.CreateTime,
  };
}
