import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toStoredPolicyItem } from '#lib/adapters/policy-items';
import { runBounded } from '#lib/concurrency';
import { computeSpecHash } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';

/** An operator record as policy sync leaves a valid one: ACTIVE, in sync, due at `nextRunAt`. */
export function syncedPolicy(operator: PolicyItem, nextRunAt: string, syncedAt: string): PolicyItem {
  return { ...operator, state: 'ACTIVE', specHash: computeSpecHash(operator), syncedAt, nextRunAt };
}

/**
 * Writes policy items straight into the table with BatchWriteItem (25 per call, a few calls at once),
 * stored exactly as the stores store them (with the derived `dueBucket`), retrying unprocessed items.
 */
export async function writePolicies(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly PolicyItem[],
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25).map(toStoredPolicyItem));
  await runBounded(batches, 4, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const output = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (output.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  });
}
