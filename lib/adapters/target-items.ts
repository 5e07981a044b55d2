/**
 * The rules of a targets-table item that both implementations share (DynamoDB and in memory): the derived
 * `dueBucket` and what enrolment, retirement and an advance change. DynamoDB expresses the same rules as
 * condition and update expressions (lib/adapters/dynamodb/target-table.ts).
 */
import { StoreError } from '#lib/errors';
import type { DueTarget, Enrolment, TargetRecord } from '#lib/targets/types';
import { stripUndefined } from './plain-values';
import { DUE_BUCKET, type ItemChanges } from './policy-items';

export { DUE_BUCKET };

/** What enrolling writes: ACTIVE in the due index at its first slot, retirement cleared, summaries kept. */
export function enrolChanges(enrolment: Enrolment): ItemChanges {
  const { policyId: _p, cacheName: _c, ...fields } = enrolment;
  return {
    set: stripUndefined({ ...fields, state: 'ACTIVE', dueBucket: DUE_BUCKET }),
    remove: ['retiredAt', 'retiredReason'],
  };
}

/** What retiring writes: RETIRED, out of the due index, when and why. */
export function retireChanges(retiredAt: string, retiredReason: string): ItemChanges {
  return { set: { state: 'RETIRED', retiredAt, retiredReason }, remove: ['nextRunAt', 'dueBucket'] };
}

/** A stored item as callers see it: `dueBucket` left out, the key checked. */
export function fromTargetItem(stored: Record<string, unknown>, tableName: string): TargetRecord {
  const { dueBucket: _ignored, ...item } = stored;
  if (typeof item.policyId !== 'string' || typeof item.cacheName !== 'string') {
    throw new StoreError(`target item without a string policyId and cacheName in table ${tableName}`);
  }
  if (item.state !== 'ACTIVE' && item.state !== 'RETIRED') {
    throw new StoreError(
      `target ${item.policyId}/${item.cacheName} in table ${tableName} has no state ACTIVE or RETIRED`,
    );
  }
  return item as unknown as TargetRecord;
}

/** A due-index item as the tick sees it. */
export function toDueTarget(stored: Record<string, unknown>, tableName: string): DueTarget {
  const target = fromTargetItem(stored, tableName);
  if (typeof target.nextRunAt !== 'string') {
    throw new StoreError(
      `due target ${target.policyId}/${target.cacheName} without nextRunAt in ${tableName}`,
    );
  }
  return {
    policyId: target.policyId,
    cacheName: target.cacheName,
    nextRunAt: target.nextRunAt,
    home: 'targets',
  };
}
