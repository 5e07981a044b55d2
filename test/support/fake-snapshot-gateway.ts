import { type FaultClass, SnapshotServiceError } from '#lib/errors';
import type {
  CacheDeletion,
  CacheInfo,
  CacheStatus,
  CreateCacheRequest,
  CreateSnapshotRequest,
  SnapshotGateway,
  SnapshotInfo,
  SnapshotStatus,
} from '#lib/snapshots/snapshot-gateway';

export type GatewayOperation = keyof SnapshotGateway;

/** One call the gateway received: the operation and the name (or ARN) it concerned (Create: the snapshot name). */
export interface GatewayCall {
  readonly operation: GatewayOperation;
  readonly target: string;
}

/** The wire code a fault of each class carries in these tests (as lib/adapters/elasticache classifies them). */
const CODE_OF: Readonly<Record<FaultClass, string>> = {
  transient: 'Throttling',
  busy: 'InvalidServerlessCacheStateFault',
  quota: 'ServerlessCacheSnapshotQuotaExceededFault',
  'already-exists': 'ServerlessCacheSnapshotAlreadyExistsFault',
  'not-found': 'ServerlessCacheNotFoundFault',
  terminal: 'InvalidParameterValue',
};

/** A SnapshotServiceError of `faultClass`, with its usual wire code unless `code` is given. */
export function serviceFault(faultClass: FaultClass, code = CODE_OF[faultClass]): SnapshotServiceError {
  return new SnapshotServiceError(code, faultClass, `${code} (scripted)`);
}

interface StoredSnapshot {
  info: SnapshotInfo;
  tags: Record<string, string>;
}

interface ScriptedFault {
  readonly fault: Error;
  readonly on: string | undefined;
}

/** What a cache of the fake is made of besides its name (defaults: valkey 8, available, no tags). */
/** A cache added by a test: any of CacheInfo's fields (defaults: an available Valkey 8 cache), and its tags. */
export type SeedCache = Partial<Omit<CacheInfo, 'name'>> & { readonly tags?: Record<string, string> };

export interface SeedSnapshot {
  readonly name: string;
  readonly cacheName: string;
  readonly status?: SnapshotStatus;
  readonly tags?: Record<string, string>;
  readonly bytesUsedForCache?: number;
  readonly kmsKeyId?: string;
}

function snapshotArn(name: string): string {
  return `arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:${name}`;
}

/**
 * SnapshotGateway in memory: caches and snapshots by name, with the service's basic answers (a taken name
 * is `already-exists`, an unknown cache or snapshot `not-found`, a Create while a snapshot of the cache is
 * `creating` is `busy`, only an `available` snapshot can be deleted). Snapshots stay `creating` until a
 * test calls `complete`. Faults are scripted per call with `failNext`; every call is logged in `calls`.
 */
export class FakeSnapshotGateway implements SnapshotGateway {
  readonly calls: GatewayCall[] = [];
  /** Every CreateServerlessCacheSnapshot request, faulted or not. */
  readonly createRequests: CreateSnapshotRequest[] = [];
  /** Every export started, oldest first. */
  readonly exportRequests: { readonly snapshotName: string; readonly bucket: string }[] = [];
  /** Every CreateServerlessCache request, faulted or not. */
  readonly createCacheRequests: CreateCacheRequest[] = [];
  private readonly caches = new Map<string, CacheInfo>();
  private readonly cacheTags = new Map<string, Record<string, string>>();
  private readonly snapshots = new Map<string, StoredSnapshot>();
  private readonly scripted = new Map<GatewayOperation, ScriptedFault[]>();

  constructor(cacheNames: readonly string[] = []) {
    for (const name of cacheNames) this.addCache(name);
  }

  /** Adds a cache (or replaces the one of that name), listed by listCaches in the order added. */
  addCache(name: string, seed: SeedCache = {}): void {
    const { tags, ...cache } = seed;
    this.caches.set(name, {
      name,
      status: 'available',
      engine: 'valkey',
      majorEngineVersion: '8',
      arn: `arn:cache:${name}`,
      subnetIds: [],
      securityGroupIds: [],
      createTime: undefined,
      ...cache,
    });
    this.cacheTags.set(name, { ...tags });
  }

  /** Replaces a cache's tags, as someone editing them outside the orchestrator. */
  setCacheTags(name: string, tags: Record<string, string>): void {
    if (!this.caches.has(name)) throw new Error(`no cache ${name} in the fake gateway`);
    this.cacheTags.set(name, { ...tags });
  }

  /** Moves a cache to `status` (a scratch cache becoming `available` or `create-failed`). */
  setCacheStatus(name: string, status: CacheStatus): void {
    const cache = this.caches.get(name);
    if (!cache) throw new Error(`no cache ${name} in the fake gateway`);
    this.caches.set(name, { ...cache, status });
  }

  /** The tags a cache was created with (createCache), if it was. */
  cacheTagsOf(name: string): Record<string, string> | undefined {
    const tags = this.cacheTags.get(name);
    return tags ? { ...tags } : undefined;
  }

  /** Deletes a cache; its snapshots stay, as on the service. */
  removeCache(name: string): void {
    this.caches.delete(name);
    this.cacheTags.delete(name);
  }

  /** Puts a snapshot in place as if it had been made earlier (by us or by anyone). */
  seedSnapshot(seed: SeedSnapshot): SnapshotInfo {
    const info: SnapshotInfo = {
      name: seed.name,
      arn: snapshotArn(seed.name),
      cacheName: seed.cacheName,
      status: seed.status ?? 'available',
      snapshotType: 'manual',
      createTime: undefined,
      bytesUsedForCache: seed.bytesUsedForCache,
      kmsKeyId: seed.kmsKeyId,
    };
    this.snapshots.set(seed.name, { info, tags: { ...seed.tags } });
    return info;
  }

  /** The snapshot finished: `available` with its size. */
  complete(name: string, bytesUsedForCache: number): void {
    const stored = this.require(name);
    stored.info = { ...stored.info, status: 'available', bytesUsedForCache };
  }

  /** Puts a snapshot in another state (`deleting` while someone deletes it, `failed`, …). */
  setStatus(name: string, status: SnapshotStatus): void {
    const stored = this.require(name);
    stored.info = { ...stored.info, status };
  }

  /** Removes a snapshot behind the orchestrator's back (someone deleted it). */
  removeSnapshot(name: string): void {
    this.snapshots.delete(name);
  }

  setTags(name: string, tags: Record<string, string>): void {
    this.require(name).tags = { ...tags };
  }

  snapshot(name: string): SnapshotInfo | undefined {
    return this.snapshots.get(name)?.info;
  }

  tagsOf(name: string): Record<string, string> | undefined {
    const tags = this.snapshots.get(name)?.tags;
    return tags ? { ...tags } : undefined;
  }

  snapshotNames(): string[] {
    return [...this.snapshots.keys()];
  }

  /**
   * The next call of `operation` (concerning `on`, when given: the snapshot name, cache name or ARN) throws
   * `fault` instead of doing anything. Scripted faults are used up in the order given.
   */
  failNext(operation: GatewayOperation, fault: Error, on?: string): void {
    this.scripted.set(operation, [...(this.scripted.get(operation) ?? []), { fault, on }]);
  }

  /** How many calls of `operation` were made (concerning `target`, when given). */
  count(operation: GatewayOperation, target?: string): number {
    return this.calls.filter((call) => call.operation === operation && (!target || call.target === target))
      .length;
  }

  async createSnapshot(request: CreateSnapshotRequest): Promise<SnapshotInfo> {
    this.createRequests.push(request);
    this.enter('createSnapshot', request.snapshotName, request.cacheName);
    if (this.snapshots.has(request.snapshotName)) throw serviceFault('already-exists');
    if (!this.caches.has(request.cacheName)) throw serviceFault('not-found');
    const inProgress = [...this.snapshots.values()].some(
      (stored) => stored.info.cacheName === request.cacheName && stored.info.status === 'creating',
    );
    if (inProgress) throw serviceFault('busy');
    return this.seedSnapshot({
      name: request.snapshotName,
      cacheName: request.cacheName,
      status: 'creating',
      tags: request.tags,
      kmsKeyId: request.kmsKeyId,
    });
  }

  async listSnapshots(cacheName: string): Promise<SnapshotInfo[]> {
    this.enter('listSnapshots', cacheName);
    if (!this.caches.has(cacheName)) throw serviceFault('not-found');
    return [...this.snapshots.values()]
      .filter((stored) => stored.info.cacheName === cacheName)
      .map((stored) => stored.info);
  }

  async getSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined> {
    this.enter('getSnapshot', snapshotName);
    return this.snapshots.get(snapshotName)?.info;
  }

  async deleteSnapshot(snapshotName: string): Promise<void> {
    this.enter('deleteSnapshot', snapshotName);
    const stored = this.snapshots.get(snapshotName);
    if (!stored) throw serviceFault('not-found', 'ServerlessCacheSnapshotNotFoundFault');
    if (stored.info.status !== 'available') {
      throw serviceFault('busy', 'InvalidServerlessCacheSnapshotStateFault');
    }
    this.snapshots.delete(snapshotName);
  }

  async listTags(arn: string): Promise<Record<string, string>> {
    this.enter('listTags', arn);
    const cache = [...this.caches.values()].find((candidate) => candidate.arn === arn);
    if (cache) return { ...this.cacheTags.get(cache.name) };
    const stored = [...this.snapshots.values()].find((candidate) => candidate.info.arn === arn);
    if (!stored) throw serviceFault('not-found', 'ServerlessCacheSnapshotNotFoundFault');
    return { ...stored.tags };
  }

  async tagSnapshot(arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    this.enter('tagSnapshot', arn);
    const stored = [...this.snapshots.values()].find((candidate) => candidate.info.arn === arn);
    if (!stored) throw serviceFault('not-found', 'ServerlessCacheSnapshotNotFoundFault');
    stored.tags = { ...stored.tags, ...tags };
  }

  async getCache(cacheName: string): Promise<CacheInfo | undefined> {
    this.enter('getCache', cacheName);
    return this.caches.get(cacheName);
  }

  async listCaches(): Promise<CacheInfo[]> {
    this.enter('listCaches', '');
    return [...this.caches.values()];
  }

  /**
   * Starts an export as the service does: a missing snapshot is `not-found`, one not `available` is `busy`;
   * the snapshot is `exporting` until a test calls `completeExport`. Bucket refusals are scripted faults.
   */
  async exportSnapshot(snapshotName: string, bucket: string): Promise<SnapshotInfo> {
    this.enter('exportSnapshot', snapshotName, bucket);
    const stored = this.snapshots.get(snapshotName);
    if (!stored) throw serviceFault('not-found', 'ServerlessCacheSnapshotNotFoundFault');
    if (stored.info.status !== 'available') {
      throw serviceFault('busy', 'InvalidServerlessCacheSnapshotStateFault');
    }
    this.exportRequests.push({ snapshotName, bucket });
    stored.info = { ...stored.info, status: 'exporting' };
    return stored.info;
  }

  /** The export finished: the snapshot is `available` again. */
  completeExport(name: string): void {
    const stored = this.require(name);
    stored.info = { ...stored.info, status: 'available' };
  }

  /** A new cache `creating` (a test moves it on with setCacheStatus); restores only `available` snapshots. */
  async createCache(request: CreateCacheRequest): Promise<CacheInfo> {
    this.createCacheRequests.push(request);
    this.enter('createCache', request.name);
    if (this.caches.has(request.name))
      throw serviceFault('already-exists', 'ServerlessCacheAlreadyExistsFault');
    for (const arn of request.snapshotArns) {
      const stored = [...this.snapshots.values()].find((candidate) => candidate.info.arn === arn);
      if (!stored) throw serviceFault('not-found', 'ServerlessCacheSnapshotNotFoundFault');
      if (stored.info.status !== 'available') {
        throw serviceFault('busy', 'InvalidServerlessCacheSnapshotStateFault');
      }
    }
    this.addCache(request.name, {
      status: 'creating',
      engine: request.engine,
      majorEngineVersion: request.majorEngineVersion,
      subnetIds: request.subnetIds ?? [],
      securityGroupIds: request.securityGroupIds ?? [],
    });
    this.cacheTags.set(request.name, { ...request.tags });
    return this.caches.get(request.name) as CacheInfo;
  }

  /** `deleting` (a test removes it with removeCache); a cache still `creating` is `busy`. */
  async deleteCache(cacheName: string): Promise<CacheDeletion> {
    this.enter('deleteCache', cacheName);
    const cache = this.caches.get(cacheName);
    if (!cache) return 'already-gone';
    if (cache.status !== 'available' && cache.status !== 'create-failed') throw serviceFault('busy');
    this.setCacheStatus(cacheName, 'deleting');
    return 'deleting';
  }

  /** Logs the call, then throws the first scripted fault for it, if any. */
  private enter(operation: GatewayOperation, target: string, alsoMatches?: string): void {
    this.calls.push({ operation, target });
    const queue = this.scripted.get(operation) ?? [];
    const index = queue.findIndex(
      (entry) => entry.on === undefined || entry.on === target || entry.on === alsoMatches,
    );
    const entry = queue[index];
    if (entry === undefined) return;
    queue.splice(index, 1);
    throw entry.fault;
  }

  private require(name: string): StoredSnapshot {
    const stored = this.snapshots.get(name);
    if (!stored) throw new Error(`no snapshot ${name} in the fake gateway`);
    return stored;
  }
}
