/**
 * What a restore creates: the CreateServerlessCache request that restores one snapshot into a new cache of
 * the snapshot's engine and major version, in the source cache's network unless told otherwise. Shared by
 * the CLI's `restore` and the restore tests' scratch caches (docs/architecture.md, "Restore tests").
 */
import type { CacheInfo, CreateCacheRequest, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';

export interface RestoreInput {
  /** The new cache's name. */
  readonly name: string;
  readonly snapshot: SnapshotInfo;
  /** The cache the snapshot was taken of, undefined when it no longer exists. */
  readonly source: CacheInfo | undefined;
  /** Given subnets / security groups replace the source cache's. */
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export type RestorePlan =
  | { readonly ok: true; readonly request: CreateCacheRequest }
  | { readonly ok: false; readonly reason: string };

/**
 * The request restoring `snapshot` into a new cache named `name`, or why there can be none: a snapshot not
 * `available`, an engine neither the snapshot nor its source cache tells, or no subnets when the source
 * cache is gone and none were given (the service would put the cache in the default VPC, which is never
 * what a restore of a cache that lived elsewhere wants). The engine and major version are the snapshot's
 * (ServerlessCacheConfiguration), else its source cache's.
 */
export function planRestore(input: RestoreInput): RestorePlan {
  const { snapshot, source } = input;
  if (snapshot.status !== 'available') {
    return { ok: false, reason: `snapshot ${snapshot.name} is ${snapshot.status}, not available` };
  }
  const engine = snapshot.engine ?? source?.engine;
  if (engine === undefined) {
    return { ok: false, reason: `the engine of snapshot ${snapshot.name} is unknown (its cache is gone)` };
  }
  const subnetIds = input.subnetIds ?? source?.subnetIds;
  if (subnetIds === undefined) {
    return {
      ok: false,
      reason: `cache ${snapshot.cacheName} of snapshot ${snapshot.name} no longer exists: give the new cache's subnets (--subnet-ids) and security groups`,
    };
  }
  return {
    ok: true,
    request: {
      name: input.name,
      engine,
      majorEngineVersion: snapshot.majorEngineVersion ?? source?.majorEngineVersion,
      snapshotArns: [snapshot.arn],
      subnetIds,
      securityGroupIds: input.securityGroupIds ?? source?.securityGroupIds,
      tags: input.tags,
    },
  };
}
