/**
 * The stored form of a run record, shared by both run stores: the record plus the store-derived range key
 * `runKey` and `openBucket`, and the schema a stored item is parsed with on the way back.
 */
import * as z from 'zod';
import { StoreError } from '#lib/errors';
import { runKeyOf } from '#lib/runs/run-key';
import { isExportInFlight, OPEN_STATUSES, RUN_KINDS, RUN_STATUSES, type RunRecord } from '#lib/runs/types';
import { stripUndefined } from './plain-values';

/** Partition value of the runs table's sparse `open-index`: only open runs with a `nextCheckAt` carry it. */
export const OPEN_BUCKET = 'OPEN';

const optionalString = z.string().optional();

/** Loose on purpose: attributes added to RunRecord later pass through instead of being dropped. */
const runRecordSchema = z.looseObject({
  policyId: z.string(),
  slot: z.string(),
  cacheName: z.string(),
  kind: z.enum(RUN_KINDS).default('SCHEDULED'),
  account: optionalString,
  region: optionalString,
  snapshotName: z.string(),
  keep: z.literal(true).optional(),
  status: z.enum(RUN_STATUSES),
  attempts: z.number(),
  lastError: z.object({ code: z.string(), message: z.string() }).optional(),
  snapshotArn: optionalString,
  bytesUsedForCache: z.number().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  requestedAt: optionalString,
  completedAt: optionalString,
  prunedAt: optionalString,
  windowClosesAt: z.string(),
  retryAt: optionalString,
  leaseOwner: optionalString,
  leaseExpiresAt: optionalString,
  nextCheckAt: optionalString,
  expiresAt: z.number().optional(),
  goneAt: optionalString,
  goneNoticedBy: z.enum(['completion', 'retention', 'reconcile']).optional(),
});

/**
 * True when the run belongs in the open index: an open status, or an AVAILABLE run whose export is in flight
 * (docs/architecture.md, "Exports"), and a time to look at it again.
 */
export function isListedOpen(run: RunRecord): boolean {
  const open = OPEN_STATUSES.has(run.status) || (run.status === 'AVAILABLE' && isExportInFlight(run.export));
  return open && run.nextCheckAt !== undefined;
}

type Derived = { openBucket?: unknown; runKey?: unknown };

/**
 * The item to store for `run`: undefined attributes dropped, its `runKey`, and `openBucket` only while
 * listed open.
 */
export function toRunItem(run: RunRecord): Record<string, unknown> {
  const { openBucket: _bucket, runKey: _key, ...record } = stripUndefined(run) as RunRecord & Derived;
  const item = { ...record, runKey: runKeyOf(run) };
  return isListedOpen(run) ? { ...item, openBucket: OPEN_BUCKET } : item;
}

/**
 * The run record in a stored item, without `openBucket` and `runKey`, `kind` SCHEDULED when the item has
 * none; StoreError naming the table when malformed.
 */
export function fromRunItem(item: Record<string, unknown>, tableName: string): RunRecord {
  const parsed = runRecordSchema.safeParse(item);
  if (!parsed.success) {
    const key = `${String(item.policyId)}/${String(item.slot)}`;
    throw new StoreError(
      `malformed run record ${key} in table ${tableName}: ${z.prettifyError(parsed.error)}`,
    );
  }
  const { openBucket: _bucket, runKey: _key, ...run } = parsed.data;
  return run;
}
