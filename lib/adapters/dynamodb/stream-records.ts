import {
  DynamoDBStreamChangeRecordBase,
  DynamoDBStreamRecord,
} from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { invalidEvent } from '#lib/events';
import type { PolicyItem } from '#lib/policy/types';

/** A policies-table stream record, reduced to what policy sync needs, free of DynamoDB types. */
export interface PolicyChange {
  readonly eventId: string;
  /** The stream sequence number: what a partial batch failure reports. */
  readonly sequenceNumber: string;
  readonly kind: 'upsert' | 'remove';
  readonly policyId: string;
  readonly newItem: PolicyItem | undefined;
  /** The version this record replaced was a `targets` policy (the old image had `targets`). */
  readonly wasTargets: boolean;
}

/**
 * Powertools' DynamoDB stream record schema, with the images left marshalled: they are unmarshalled below
 * with the SDK's `unmarshall`, the one the document client reads the table with, so a policy item is the
 * same whether it comes from the stream or from the table (Powertools' own unmarshalling turns numbers
 * beyond 2^53 into BigInt, the SDK refuses them).
 */
const policyStreamRecordSchema = DynamoDBStreamRecord.extend({ dynamodb: DynamoDBStreamChangeRecordBase });

function unmarshalled(image: Record<string, unknown>): Record<string, unknown> {
  return unmarshall(image as Record<string, AttributeValue>);
}

/**
 * Turns a DynamoDB stream record of the policies table into a PolicyChange; throws InvalidEventError
 * naming what is wrong when the record is not one.
 */
export function toPolicyChange(record: unknown): PolicyChange {
  const parsed = policyStreamRecordSchema.safeParse(record);
  if (!parsed.success) throw invalidEvent('a DynamoDB stream record', parsed.error, 'record');
  const { eventID, eventName, dynamodb } = parsed.data;
  const newItem = dynamodb.NewImage ? (unmarshalled(dynamodb.NewImage) as PolicyItem) : undefined;
  const key = unmarshalled(dynamodb.Keys);
  return {
    eventId: eventID,
    sequenceNumber: dynamodb.SequenceNumber,
    kind: eventName === 'REMOVE' ? 'remove' : 'upsert',
    policyId: String(newItem?.policyId ?? key.policyId ?? ''),
    newItem,
    wasTargets: dynamodb.OldImage?.targets !== undefined,
  };
}
