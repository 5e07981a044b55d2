import { addMs, toIso } from '#lib/clock';
import { SnapshotServiceError } from '#lib/errors';
import { placementOf } from '#lib/placements/placement';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import type { RunRecord } from '#lib/runs/types';
import { type ExportDeps, objectsOf } from './deps';
import { afterExportFault, exportFaultOf } from './export-faults';
import { type ExportMark, exportTags, findExportedObjects } from './export-objects';
import {
  exportAccepted,
  exportFailed,
  exportOf,
  exportToRestart,
  exportWaiting,
  exportWritten,
} from './export-state';
import type { BucketRef } from './object-store';

/** The mark of the run's exported objects and copies: this deployment, and the run that exported them. */
export function markOf(run: RunRecord, deploymentName: string): ExportMark {
  const kind = (run as RunRecord & { readonly kind?: string }).kind ?? 'SCHEDULED';
  return {
    deployment: deploymentName,
    policyId: run.policyId,
    cacheName: run.cacheName,
    slot: run.slot,
    kind,
  };
}

/**
 * Calls ExportServerlessCacheSnapshot (EXPORTING without an accepted call). Accepted: looked at after a
 * poll. `already-exists` (the bucket already holds the object: an earlier call went through unrecorded) is
 * as good: the objects are looked for at once, so an export is never made twice. A busy snapshot or a
 * transient fault waits; anything else (a missing bucket, another region, write not granted, the snapshot
 * gone) ends FAILED with the service's code and a message naming the bucket. At most `maxAttempts` calls.
 */
export async function callExport(deps: ExportDeps, run: RunRecord, owner: string): Promise<RunRecord> {
  const exported = exportOf(run);
  const now = deps.clock();
  const { maxAttempts, pollMs } = deps.exports.settings;
  if (exported.attempts >= maxAttempts) {
    const reason = `${exported.attempts} exports of ${run.snapshotName} to bucket "${exported.bucket}" wrote no object`;
    const last = exported.lastError ? `; last: ${exported.lastError.message}` : '';
    return exportFailed(run, { code: OUTCOME_CODE.ExportObjectMissing, message: reason + last }, now, owner);
  }
  try {
    await deps.placements.snapshots(placementOf(run)).exportSnapshot(run.snapshotName, exported.bucket);
    return exportAccepted(run, now, owner, pollMs);
  } catch (error) {
    if (error instanceof SnapshotServiceError && error.faultClass === 'already-exists') {
      return exportAccepted(run, now, owner, 0);
    }
    return afterExportFault(deps, run, exportFaultOf(error), owner);
  }
}

/**
 * Looks at an export in progress: the snapshot still `exporting` waits a poll (until `giveUpAt`, then
 * FAILED ExportTimeout); once it is not, the objects ElastiCache wrote are listed by the snapshot's name and
 * tagged with this deployment's mark, and the export is EXPORTED. None there: the export ended without
 * writing, and is called again (ExportObjectMissing), or FAILED when the snapshot is gone.
 */
export async function checkExport(deps: ExportDeps, run: RunRecord, owner: string): Promise<RunRecord> {
  const exported = exportOf(run);
  const now = deps.clock();
  const { pollMs } = deps.exports.settings;
  try {
    const snapshot = await deps.placements.snapshots(placementOf(run)).getSnapshot(run.snapshotName);
    if (snapshot?.status === 'exporting') {
      if (toIso(now) < exported.giveUpAt) return exportWaiting(run, now, owner, addMs(now, pollMs));
      const message = `the export of ${run.snapshotName} to bucket "${exported.bucket}" was still running at ${exported.giveUpAt}`;
      return exportFailed(run, { code: OUTCOME_CODE.ExportTimeout, message }, now, owner);
    }
    const bucket: BucketRef = { bucket: exported.bucket, region: exported.region };
    const objects = objectsOf(deps.exports, run);
    const found = await findExportedObjects(objects, bucket, run.snapshotName);
    if (found.length === 0 && snapshot === undefined) {
      const message = `snapshot ${run.snapshotName} was deleted before its export to bucket "${exported.bucket}" wrote an object`;
      return exportFailed(run, { code: OUTCOME_CODE.ExportSnapshotGone, message }, now, owner);
    }
    if (found.length === 0) {
      const message = `the export of ${run.snapshotName} to bucket "${exported.bucket}" ended without an object (call ${exported.attempts})`;
      const error = { code: OUTCOME_CODE.ExportObjectMissing, message };
      return exportToRestart(run, now, owner, addMs(now, pollMs), error);
    }
    const tags = exportTags(markOf(run, deps.settings.deploymentName));
    for (const object of found) await objects.putTags(object, tags);
    return exportWritten(
      run,
      found.map((object) => ({ key: object.key, bytes: object.bytes })),
      now,
      owner,
    );
  } catch (error) {
    return afterExportFault(deps, run, exportFaultOf(error), owner);
  }
}
