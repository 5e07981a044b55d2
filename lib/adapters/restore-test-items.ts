/**
 * The stored form of a restore-test record in the runs table: the record plus its range key `runKey`
 * (`<cacheName>#<slot>#RESTORE_TEST`) and, while open, `openBucket` = RESTORE_TEST_BUCKET, its own
 * partition of the runs table's sparse open index (so a tick's run listing never meets a restore test, and
 * the restore-test listing never a run).
 */
import * as z from 'zod';
import { StoreError } from '#lib/errors';
import {
  isOpenRestoreTest,
  RESTORE_TEST_KIND,
  RESTORE_TEST_STATUSES,
  type RestoreTestKey,
  type RestoreTestRecord,
} from '#lib/restore-tests/types';
import { runKeyOf } from '#lib/runs/run-key';
import { stripUndefined } from './plain-values';

/** Partition value of the open index for restore tests in flight. */
export const RESTORE_TEST_BUCKET = 'RESTORE_TEST';

/** The runs table's range key of a restore test: `<cacheName>#<slot>#RESTORE_TEST` (lib/runs/run-key.ts). */
export function restoreTestRunKey(key: RestoreTestKey): string {
  return runKeyOf({
    policyId: key.policyId,
    cacheName: key.cacheName,
    slot: key.slot,
    kind: RESTORE_TEST_KIND,
  });
}

const optionalString = z.string().optional();
const error = z.object({ code: z.string(), message: z.string() }).optional();

/** Loose on purpose: attributes added later pass through instead of being dropped. */
const restoreTestSchema = z.looseObject({
  policyId: z.string(),
  cacheName: z.string(),
  slot: z.string(),
  kind: z.literal(RESTORE_TEST_KIND),
  status: z.enum(RESTORE_TEST_STATUSES),
  scratchCacheName: z.string(),
  snapshotName: optionalString,
  attempts: z.number(),
  deadlineAt: z.string(),
  requestedAt: optionalString,
  verifiedAt: optionalString,
  restoreSeconds: z.number().optional(),
  lastError: error,
  deleteAttempts: z.number().optional(),
  cleanupError: error,
  cleanedUpAt: optionalString,
  createdAt: z.string(),
  updatedAt: z.string(),
  nextCheckAt: optionalString,
  expiresAt: z.number().optional(),
});

/**
 * Whether a runs-table item is a restore test (what this store writes: kind RESTORE_TEST with a scratch
 * cache), so the run store's listings can pass over it.
 */
export function isRestoreTestItem(item: Record<string, unknown>): boolean {
  return item.kind === RESTORE_TEST_KIND && typeof item.scratchCacheName === 'string';
}

type Derived = { openBucket?: unknown; runKey?: unknown };

/** The item to store: undefined attributes dropped, its `runKey`, `openBucket` only while open. */
export function toRestoreTestItem(record: RestoreTestRecord): Record<string, unknown> {
  const {
    openBucket: _bucket,
    runKey: _key,
    ...rest
  } = stripUndefined(record) as RestoreTestRecord & Derived;
  const item = { ...rest, runKey: restoreTestRunKey(record) };
  return isOpenRestoreTest(record) ? { ...item, openBucket: RESTORE_TEST_BUCKET } : item;
}

/** The record in a stored item; StoreError naming the table when malformed. */
export function fromRestoreTestItem(item: Record<string, unknown>, tableName: string): RestoreTestRecord {
  const parsed = restoreTestSchema.safeParse(item);
  if (!parsed.success) {
    throw new StoreError(
      `malformed restore test ${String(item.policyId)}/${String(item.runKey)} in table ${tableName}: ${z.prettifyError(parsed.error)}`,
    );
  }
  const { openBucket: _bucket, runKey: _key, ...record } = parsed.data;
  return record as RestoreTestRecord;
}
