import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one place the DynamoDB document client is built. No endpoint is set, so the SDK's standard
 * `AWS_ENDPOINT_URL_DYNAMODB` decides between AWS and the local stack; `config` is for tests only.
 * `removeUndefinedValues` lets records with optional attributes be written as they are.
 */
export function createDynamoDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
