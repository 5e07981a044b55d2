import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, NumberValue } from '@aws-sdk/lib-dynamodb';

/**
 * How a DynamoDB number is read: a JavaScript number when it fits one, a bigint for a larger whole number
 * (both as the SDK's default), and a NumberValue keeping the exact text for a larger number with a fraction
 * (`12345678901234567890.5`: DynamoDB keeps 38 digits). The SDK's default throws on that one, which fails the
 * whole page of a Scan or Query: one such attribute, written by hand, would hide every policy. As a
 * NumberValue it reaches policy validation ("must be a number (found object)") and is written back exactly.
 */
export function readNumber(text: string): number | bigint | NumberValue {
  const value = Number(text);
  const fits = value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER;
  if (fits || !Number.isFinite(value)) return value;
  try {
    return BigInt(text);
  } catch {
    return NumberValue.from(text);
  }
}

/**
 * The one place the DynamoDB document client is built. No endpoint is set, so the SDK's standard
 * `AWS_ENDPOINT_URL_DYNAMODB` decides between AWS and the local stack; `config` is for tests only.
 * `removeUndefinedValues` lets records with optional attributes be written as they are; numbers are read
 * with readNumber.
 */
export function createDynamoDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: readNumber },
  });
}
