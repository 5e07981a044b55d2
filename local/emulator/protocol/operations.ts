/**
 * The actions the emulator answers, each reading its members from the query request, calling the model
 * and encoding the result members. Any other action is answered `InvalidAction`, as AWS does.
 */
import type { CacheRegistry } from '#local/emulator/model/cache-registry';
import { faults } from '#local/emulator/model/service-fault';
import type { SnapshotOperations } from '#local/emulator/model/snapshot-operations';
import type { QueryRequest } from './query-request';
import { encodeCacheList, encodeSnapshotList, encodeSnapshotMembers, encodeTagList } from './shapes';
import { element, textElement } from './xml';

/** Answers one request with the encoded members of its `…Result` element, or throws a ServiceFault. */
export type Operation = (request: QueryRequest) => string;

export function createOperations(
  snapshots: SnapshotOperations,
  caches: CacheRegistry,
): ReadonlyMap<string, Operation> {
  return new Map<string, Operation>([
    [
      'CreateServerlessCacheSnapshot',
      ({ params, tags }) => {
        const snapshot = snapshots.create({
          snapshotName: params.ServerlessCacheSnapshotName,
          cacheName: params.ServerlessCacheName,
          kmsKeyId: params.KmsKeyId,
          tags: tags ?? [],
        });
        return element('ServerlessCacheSnapshot', encodeSnapshotMembers(snapshot));
      },
    ],
    [
      'DescribeServerlessCacheSnapshots',
      ({ params }) => {
        const page = snapshots.describe({
          cacheName: params.ServerlessCacheName,
          snapshotName: params.ServerlessCacheSnapshotName,
          snapshotType: params.SnapshotType,
          maxResults: params.MaxResults,
          nextToken: params.NextToken,
        });
        return textElement('NextToken', page.nextToken) + encodeSnapshotList(page.items);
      },
    ],
    [
      'DeleteServerlessCacheSnapshot',
      ({ params }) => {
        const snapshot = snapshots.delete(params.ServerlessCacheSnapshotName);
        return element('ServerlessCacheSnapshot', encodeSnapshotMembers(snapshot));
      },
    ],
    [
      'DescribeServerlessCaches',
      ({ params }) => {
        const page = caches.describe({
          cacheName: params.ServerlessCacheName,
          maxResults: params.MaxResults,
          nextToken: params.NextToken,
        });
        return textElement('NextToken', page.nextToken) + encodeCacheList(page.items);
      },
    ],
    ['ListTagsForResource', ({ params }) => encodeTagList(snapshots.listTags(params.ResourceName))],
  ]);
}

/** Runs the request's action, or throws InvalidAction when the emulator does not know it. */
export function runOperation(operations: ReadonlyMap<string, Operation>, request: QueryRequest): string {
  const operation = operations.get(request.action);
  if (!operation) throw faults.invalidAction(request.action);
  return operation(request);
}
