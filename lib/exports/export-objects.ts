/**
 * Which S3 objects are this deployment's exports, and how they are found.
 *
 * ElastiCache names an export's objects after the snapshot: `<snapshot-name>-0001.rdb`, `-0002.rdb`, …
 * (ElastiCache User Guide, "Exporting a backup": "ElastiCache adds an instance identifier and .rdb …
 * my-exported-backup-0001.rdb"), so they are found by listing that prefix.
 *
 * An object is known to be this deployment's by its object tags, never by its key alone (ExportMark):
 * the orchestrator tags an export's objects once it finds them (PutObjectTagging: ElastiCache writes them
 * untagged) and every copy in the request that makes it. Tags rather than a ledger of keys in run records
 * because the mark must outlive the records: run records expire by TTL long before an export kept for years,
 * and retention must still tell ours from anyone else's then. Tags survive with the object, are checked in
 * one GetObjectTagging before a deletion, and let bucket policies and lifecycle rules tell the same thing.
 * Keys in run records stay what finds an export quickly; the tags are what allows deleting it.
 */
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import type { BucketRef, ObjectStore, ObjectTags, StoredObject } from './object-store';

/** The object tag keys of an export's mark; the first three are the snapshots' own managed tag keys. */
export const EXPORT_TAGS = {
  managedBy: MANAGED_TAGS.managedBy,
  policyId: MANAGED_TAGS.policyId,
  slot: MANAGED_TAGS.slot,
  /** The same key as the snapshots' deployment tag (docs/architecture.md, "Snapshot names and managed tags"). */
  deployment: 'snapshot-orchestrator-deployment',
  cacheName: 'snapshot-cache-name',
  kind: 'snapshot-kind',
} as const;

/** Whose export an object is: the deployment, and the run (policy, cache, slot, kind) that exported it. */
export interface ExportMark {
  readonly deployment: string;
  readonly policyId: string;
  readonly cacheName: string;
  readonly slot: string;
  readonly kind: string;
}

/** An object with the mark it carries. */
export interface MarkedObject {
  readonly object: StoredObject;
  readonly mark: ExportMark;
}

/** The object tags of `mark` (6 of the 10 S3 allows). */
export function exportTags(mark: ExportMark): ObjectTags {
  return {
    [EXPORT_TAGS.managedBy]: MANAGED_BY_VALUE,
    [EXPORT_TAGS.deployment]: mark.deployment,
    [EXPORT_TAGS.policyId]: mark.policyId,
    [EXPORT_TAGS.cacheName]: mark.cacheName,
    [EXPORT_TAGS.slot]: mark.slot,
    [EXPORT_TAGS.kind]: mark.kind,
  };
}

/** The mark in `tags`, or undefined unless they carry the orchestrator's managed tag and a complete mark. */
export function readExportMark(tags: ObjectTags | undefined): ExportMark | undefined {
  if (tags === undefined || tags[EXPORT_TAGS.managedBy] !== MANAGED_BY_VALUE) return undefined;
  const [deployment, policyId, cacheName, slot, kind] = [
    tags[EXPORT_TAGS.deployment],
    tags[EXPORT_TAGS.policyId],
    tags[EXPORT_TAGS.cacheName],
    tags[EXPORT_TAGS.slot],
    tags[EXPORT_TAGS.kind],
  ];
  if (!deployment || !policyId || !cacheName || !slot || !kind) return undefined;
  return { deployment, policyId, cacheName, slot, kind };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `key` is one of the objects an export of `snapshotName` writes (`<name>-NNNN.rdb`). */
export function isExportKeyOf(snapshotName: string, key: string): boolean {
  return new RegExp(`^${escapeRegExp(snapshotName)}-\\d{4}\\.rdb$`).test(key);
}

/** The objects an export of `snapshotName` wrote to `bucket`, in key order: one listing of their prefix. */
export async function findExportedObjects(
  store: Pick<ObjectStore, 'listObjects'>,
  bucket: BucketRef,
  snapshotName: string,
): Promise<StoredObject[]> {
  const listed = await store.listObjects(bucket, `${snapshotName}-`);
  return listed.filter((object) => isExportKeyOf(snapshotName, object.key));
}

/**
 * The objects under `prefix` in `bucket` that carry `deployment`'s export mark, with their marks: one
 * listing, then one GetObjectTagging per `.rdb` object listed, so give the narrowest prefix known (a
 * target's snapshot name prefix). Objects of other deployments, and untagged ones, are left out.
 */
export async function listDeploymentExports(
  store: Pick<ObjectStore, 'listObjects' | 'getTags'>,
  bucket: BucketRef,
  prefix: string,
  deployment: string,
): Promise<MarkedObject[]> {
  const marked: MarkedObject[] = [];
  for (const object of await store.listObjects(bucket, prefix)) {
    if (!object.key.endsWith('.rdb')) continue;
    const mark = readExportMark(await store.getTags(object));
    if (mark?.deployment === deployment) marked.push({ object, mark });
  }
  return marked;
}
