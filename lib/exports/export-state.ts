/**
 * The export state machine of a run (docs/architecture.md, "Exports") as pure functions, like
 * lib/runs/transitions.ts for the run itself: each returns the next record, to be written by saveRun
 * conditionally on the record it was computed from. The run stays AVAILABLE throughout; `export` changes.
 *
 *   (none) ─▶ EXPORTING ─▶ EXPORTED ─▶ REPLICATED      (EXPORTED is the end without `replicateTo`)
 *                 │            │
 *                 └────────────┴─▶ FAILED
 *
 * Every write sets `leaseOwner` to the tick writing it: the record's version, so of two ticks following the
 * same export only one write goes through (at most one export call in flight per snapshot). A run whose
 * export is in flight carries a `nextCheckAt`, which keeps it in the open index.
 */
import { addMs, toIso } from '#lib/clock';
import type { ExportRule } from '#lib/policy/types';
import {
  type ExportedObject,
  isExportInFlight,
  type ReplicaState,
  type RunError,
  type RunExport,
  type RunRecord,
} from '#lib/runs/types';

/** The export of a run known to have one (the steps are only ever called for such runs). */
export function exportOf(run: RunRecord): RunExport {
  if (run.export === undefined) throw new Error(`run ${run.policyId}/${run.slot} has no export`);
  return run.export;
}

/** The run with `next` as its export, written by `owner`, looked at again at `checkAt` while in flight. */
function withExport(run: RunRecord, next: RunExport, now: Date, owner: string, checkAt = now): RunRecord {
  const { nextCheckAt: _next, export: _previous, ...rest } = run;
  const record: RunRecord = { ...rest, export: next, leaseOwner: owner, updatedAt: toIso(now) };
  return isExportInFlight(next) ? { ...record, nextCheckAt: toIso(checkAt) } : record;
}

function withoutError(exported: RunExport): RunExport {
  const { lastError: _error, ...rest } = exported;
  return rest;
}

/** The policy chose this snapshot: EXPORTING, no call made yet (the next step makes it, at once). */
export function exportDecided(
  run: RunRecord,
  rule: ExportRule,
  region: string,
  giveUpAfterMs: number,
  now: Date,
  owner: string,
): RunRecord {
  const replica: ReplicaState | undefined = rule.replicateTo && { ...rule.replicateTo };
  return withExport(
    run,
    {
      status: 'EXPORTING',
      bucket: rule.bucket,
      region,
      attempts: 0,
      giveUpAt: toIso(addMs(now, giveUpAfterMs)),
      ...(replica ? { replica } : {}),
    },
    now,
    owner,
  );
}

/** ElastiCache accepted an export call: the snapshot is `exporting`; looked at again after `pollMs`. */
export function exportAccepted(run: RunRecord, now: Date, owner: string, pollMs: number): RunRecord {
  const exported = exportOf(run);
  const next = { ...withoutError(exported), attempts: exported.attempts + 1, startedAt: toIso(now) };
  return withExport(run, next, now, owner, addMs(now, pollMs));
}

/** Nothing to do until `checkAt`: the export still running, or a retry after `error` (busy, transient). */
export function exportWaiting(
  run: RunRecord,
  now: Date,
  owner: string,
  checkAt: Date,
  error?: RunError,
): RunRecord {
  const exported = withoutError(exportOf(run));
  return withExport(run, error ? { ...exported, lastError: error } : exported, now, owner, checkAt);
}

/** The export ended without an object: the next step calls ExportServerlessCacheSnapshot again at `checkAt`. */
export function exportToRestart(run: RunRecord, now: Date, owner: string, checkAt: Date, error: RunError) {
  const { startedAt: _started, ...exported } = exportOf(run);
  return withExport(run, { ...exported, lastError: error }, now, owner, checkAt);
}

/** The objects are in the bucket and carry the mark: EXPORTED (still in flight when a copy is to be made). */
export function exportWritten(
  run: RunRecord,
  objects: readonly ExportedObject[],
  now: Date,
  owner: string,
): RunRecord {
  const exported = withoutError(exportOf(run));
  const first = objects[0];
  const next: RunExport = {
    ...exported,
    status: 'EXPORTED',
    ...(first ? { key: first.key } : {}),
    bytes: objects.reduce((sum, object) => sum + object.bytes, 0),
    exportedAt: toIso(now),
    objects,
  };
  return withExport(run, next, now, owner);
}

/** Part of the copy is made (`replica` holds how far); the rest at `checkAt`. */
export function copyProgressed(
  run: RunRecord,
  replica: ReplicaState,
  now: Date,
  owner: string,
  checkAt = now,
): RunRecord {
  return withExport(run, { ...withoutError(exportOf(run)), replica }, now, owner, checkAt);
}

/** Every object is in the replica bucket too: REPLICATED. */
export function exportReplicated(run: RunRecord, now: Date, owner: string): RunRecord {
  const exported = withoutError(exportOf(run));
  const replica = exported.replica && { bucket: exported.replica.bucket, region: exported.replica.region };
  const next: RunExport = {
    ...exported,
    status: 'REPLICATED',
    replicatedAt: toIso(now),
    ...(replica ? { replica } : {}),
  };
  return withExport(run, next, now, owner);
}

/** The export ends FAILED with `error` (its code, and a message naming the bucket). Nothing follows. */
export function exportFailed(run: RunRecord, error: RunError, now: Date, owner: string): RunRecord {
  const exported = exportOf(run);
  const replica = exported.replica && { bucket: exported.replica.bucket, region: exported.replica.region };
  const next: RunExport = {
    ...exported,
    status: 'FAILED',
    lastError: error,
    ...(replica ? { replica } : {}),
  };
  return withExport(run, next, now, owner);
}
