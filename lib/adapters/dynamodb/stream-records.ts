import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { PolicyItem } from '#lib/policy/types';

/** A policies-table stream record, reduced to what policy sync needs, free of DynamoDB types. */
export interface PolicyChange {
  readonly eventId: string;
  /** The stream sequence number: what a partial batch failure reports. */
  readonly sequenceNumber: string;
  readonly kind: 'upsert' | 'remove';
  readonly policyId: string;
  readonly newItem: PolicyItem | undefined;
}

interface StreamRecordShape {
  eventID?: string;
  eventName?: string;
  dynamodb?: {
    SequenceNumber?: string;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
  };
}

/** Turns a DynamoDB stream record of the policies table into a PolicyChange. */
export function toPolicyChange(record: StreamRecordShape): PolicyChange {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  const keys = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
  const newItem = image ? (unmarshall(image) as PolicyItem) : undefined;
  const key = keys ? (unmarshall(keys) as { policyId?: unknown }) : {};
  return {
    eventId: record.eventID ?? '',
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    kind: record.eventName === 'REMOVE' ? 'remove' : 'upsert',
    policyId: String(newItem?.policyId ?? key.policyId ?? ''),
    newItem,
  };
}
