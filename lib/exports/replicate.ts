import { ObjectStoreError } from '#lib/errors';
import { hasTimeLeft } from '#lib/lifecycle/deps';
import { logger } from '#lib/observability';
import { runFields } from '#lib/runs/report-outcome';
import type { ReplicaState, RunRecord } from '#lib/runs/types';
import { type ExportDeps, objectsOf } from './deps';
import { afterExportFault, exportFaultOf } from './export-faults';
import { exportTags } from './export-objects';
import { copyProgressed, exportOf, exportReplicated } from './export-state';
import { markOf } from './export-steps';

/** Gives up the open multipart copy of a failed export, so its parts are not kept (and billed) by S3. */
async function abandonUpload(deps: ExportDeps, run: RunRecord, replica: ReplicaState): Promise<void> {
  if (replica.upload === undefined) return;
  const target = { bucket: replica.bucket, region: replica.region, key: replica.upload.key };
  try {
    await objectsOf(deps.exports, run).abortCopy(target, replica.upload.uploadId);
  } catch (error) {
    logger.warn(
      'could not abort the multipart copy of a failed export; S3 keeps its parts until a lifecycle rule removes them',
      {
        ...runFields(run),
        bucket: replica.bucket,
        uploadId: replica.upload.uploadId,
        error,
      },
    );
  }
}

/**
 * Copies an EXPORTED run's objects to its `replicateTo` bucket, object by object (the copy plan of
 * lib/exports/copy-plan.ts: one CopyObject up to 5 GiB, else a multipart copy), each copy tagged with the
 * mark in the request that makes it. A multipart copy stopped by the deadline is recorded with its upload
 * id and resumed by the next tick from the parts S3 holds. All there: REPLICATED. A missing bucket or
 * source object, or a refusal, ends FAILED naming the bucket; transient faults wait (until `giveUpAt`).
 */
export async function copyToReplica(deps: ExportDeps, run: RunRecord, owner: string): Promise<RunRecord> {
  const exported = exportOf(run);
  const replica = exported.replica;
  if (replica === undefined) return exportReplicated(run, deps.clock(), owner);
  const copied = [...(replica.copied ?? [])];
  const tags = exportTags(markOf(run, deps.settings.deploymentName));
  try {
    for (const object of exported.objects ?? []) {
      if (copied.includes(object.key)) continue;
      if (!hasTimeLeft(deps)) return copyProgressed(run, { ...replica, copied }, deps.clock(), owner);
      const upload = replica.upload?.key === object.key ? replica.upload : undefined;
      const outcome = await objectsOf(deps.exports, run).copyObject({
        source: { bucket: exported.bucket, region: exported.region, ...object, lastModified: undefined },
        target: { bucket: replica.bucket, region: replica.region, key: object.key },
        tags,
        ...(upload ? { uploadId: upload.uploadId } : {}),
        hasTimeLeft: () => hasTimeLeft(deps),
      });
      if (outcome.status === 'incomplete') {
        const progress = { ...replica, copied, upload: { key: object.key, uploadId: outcome.uploadId } };
        return copyProgressed(run, progress, deps.clock(), owner);
      }
      copied.push(object.key);
    }
    return exportReplicated(run, deps.clock(), owner);
  } catch (error) {
    if (error instanceof ObjectStoreError && error.code === 'NoSuchUpload') {
      // The open copy was aborted elsewhere (a lifecycle rule): start that object's copy over.
      const { upload: _gone, ...rest } = replica;
      return copyProgressed(run, { ...rest, copied }, deps.clock(), owner);
    }
    const progressed = copyProgressed(run, { ...replica, copied }, deps.clock(), owner);
    const next = afterExportFault(deps, progressed, exportFaultOf(error), owner);
    if (next.export?.status === 'FAILED') await abandonUpload(deps, run, replica);
    return next;
  }
}
