/**
 * The output shapes as ElastiCache writes them, member names and order from the SDK's schema. List items
 * differ per list (checked against the SDK's deserializer): snapshots are `<ServerlessCacheSnapshot>`,
 * caches `<member>`, tags `<Tag>`.
 */
import type { EmulatorCache, EmulatorSnapshot } from '#local/emulator/types';
import { element, textElement } from '#local/wire/xml';

/** The members of a ServerlessCacheSnapshot, without the enclosing element. */
export function encodeSnapshotMembers(snapshot: EmulatorSnapshot): string {
  return [
    textElement('ServerlessCacheSnapshotName', snapshot.name),
    textElement('ARN', snapshot.arn),
    textElement('KmsKeyId', snapshot.kmsKeyId),
    textElement('SnapshotType', snapshot.snapshotType),
    textElement('Status', snapshot.status),
    textElement('CreateTime', snapshot.createTime),
    textElement('ExpiryTime', snapshot.expiryTime),
    textElement('BytesUsedForCache', String(snapshot.bytesUsedForCache)),
    element(
      'ServerlessCacheConfiguration',
      textElement('ServerlessCacheName', snapshot.cacheName),
      textElement('Engine', snapshot.engine),
      textElement('MajorEngineVersion', snapshot.majorEngineVersion),
    ),
  ].join('');
}

/** A ServerlessCacheSnapshots list. */
export function encodeSnapshotList(snapshots: readonly EmulatorSnapshot[]): string {
  return element(
    'ServerlessCacheSnapshots',
    ...snapshots.map((snapshot) => element('ServerlessCacheSnapshot', encodeSnapshotMembers(snapshot))),
  );
}

function encodeEndpoint(name: string, address: string, port: number): string {
  return element(name, textElement('Address', address), textElement('Port', port));
}

/** The members of a ServerlessCache in the model's order; no endpoints until the cache is first available. */
export function encodeCacheMembers(cache: EmulatorCache): string {
  const reachable = cache.status !== 'creating' && cache.status !== 'create-failed';
  return [
    textElement('ServerlessCacheName', cache.name),
    textElement('Description', cache.description),
    textElement('CreateTime', cache.createTime),
    textElement('Status', cache.status),
    textElement('Engine', cache.engine),
    textElement('MajorEngineVersion', cache.majorEngineVersion),
    textElement('FullEngineVersion', cache.fullEngineVersion),
    textElement('KmsKeyId', cache.kmsKeyId),
    element('SecurityGroupIds', ...cache.securityGroupIds.map((id) => textElement('SecurityGroupId', id))),
    reachable ? encodeEndpoint('Endpoint', cache.endpointAddress, cache.port) : '',
    reachable && cache.engine !== 'memcached'
      ? encodeEndpoint('ReaderEndpoint', cache.endpointAddress, cache.port + 1)
      : '',
    textElement('ARN', cache.arn),
    element('SubnetIds', ...cache.subnetIds.map((id) => textElement('SubnetId', id))),
    textElement('SnapshotRetentionLimit', 0),
  ].join('');
}

/** A ServerlessCaches list. */
export function encodeCacheList(caches: readonly EmulatorCache[]): string {
  return element('ServerlessCaches', ...caches.map((cache) => element('member', encodeCacheMembers(cache))));
}

/** A TagList. */
export function encodeTagList(tags: Readonly<Record<string, string>>): string {
  return element(
    'TagList',
    ...Object.entries(tags).map(([key, value]) =>
      element('Tag', textElement('Key', key), textElement('Value', value)),
    ),
  );
}
