/**
 * The actions the emulator answers, each reading its members from the query request, calling the model of
 * the request's partition and encoding the result members. Any other action is answered `InvalidAction`,
 * as AWS does.
 */
import type { ExportLedger } from '#local/emulator/exports/export-ledger';
import { faults } from '#local/emulator/model/service-fault';
import type { PartitionState } from '#local/emulator/partitions';
import { element, textElement } from '#local/wire/xml';
import { listMember, type QueryRequest } from './query-request';
import {
  encodeCacheList,
  encodeCacheMembers,
  encodeSnapshotList,
  encodeSnapshotMembers,
  encodeTagList,
} from './shapes';

/** Answers one request with the encoded members of its `…Result` element, or throws a ServiceFault. */
export type Operation = (request: QueryRequest, partition: PartitionState) => string | Promise<string>;

export function createOperations(exports: ExportLedger): ReadonlyMap<string, Operation> {
  return new Map<string, Operation>([
    [
      'CreateServerlessCacheSnapshot',
      ({ params, tags }, { snapshots }) => {
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
      ({ params }, { snapshots }) => {
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
      ({ params }, { snapshots }) => {
        const snapshot = snapshots.delete(params.ServerlessCacheSnapshotName);
        return element('ServerlessCacheSnapshot', encodeSnapshotMembers(snapshot));
      },
    ],
    [
      'ExportServerlessCacheSnapshot',
      async ({ params }, { partition, store }) => {
        const snapshot = await exports.start(
          partition,
          store,
          params.ServerlessCacheSnapshotName,
          params.S3BucketName,
        );
        return element('ServerlessCacheSnapshot', encodeSnapshotMembers(snapshot));
      },
    ],
    [
      'DescribeServerlessCaches',
      ({ params }, { caches }) => {
        const page = caches.describe({
          cacheName: params.ServerlessCacheName,
          maxResults: params.MaxResults,
          nextToken: params.NextToken,
        });
        return textElement('NextToken', page.nextToken) + encodeCacheList(page.items);
      },
    ],
    [
      'CreateServerlessCache',
      ({ params, tags }, { cacheOperations }) => {
        const cache = cacheOperations.create({
          name: params.ServerlessCacheName,
          engine: params.Engine,
          majorEngineVersion: params.MajorEngineVersion,
          description: params.Description,
          kmsKeyId: params.KmsKeyId,
          subnetIds: listMember(params, 'SubnetIds', 'SubnetId'),
          securityGroupIds: listMember(params, 'SecurityGroupIds', 'SecurityGroupId'),
          snapshotArns: listMember(params, 'SnapshotArnsToRestore', 'SnapshotArn'),
          tags: tags ?? [],
        });
        return element('ServerlessCache', encodeCacheMembers(cache));
      },
    ],
    [
      'DeleteServerlessCache',
      ({ params }, { cacheOperations }) => {
        const cache = cacheOperations.delete(params.ServerlessCacheName, params.FinalSnapshotName);
        return element('ServerlessCache', encodeCacheMembers(cache));
      },
    ],
    [
      'ListTagsForResource',
      ({ params }, { snapshots }) => encodeTagList(snapshots.listTags(params.ResourceName)),
    ],
    [
      'AddTagsToResource',
      ({ params, tags }, { snapshots }) => encodeTagList(snapshots.addTags(params.ResourceName, tags ?? [])),
    ],
  ]);
}

/** Runs the request's action, or throws InvalidAction when the emulator does not know it. */
export function runOperation(
  operations: ReadonlyMap<string, Operation>,
  request: QueryRequest,
  partition: PartitionState,
): string | Promise<string> {
  const operation = operations.get(request.action);
  if (!operation) throw faults.invalidAction(request.action);
  return operation(request, partition);
}
