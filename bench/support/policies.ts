import { type AttributeValue, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ItemClient } from '#lib/adapters/dynamodb/item-client';
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
  items: ItemClient,
  tableName: string,
  policies: readonly PolicyItem[],
): Promise<void> {
  const batches: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < policies.length; i += 25) {
    batches.push(policies.slice(i, i + 25).map((policy) => marshall(toStoredPolicyItem(policy))));
  }
  await runBounded(batches, 4, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const command = new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } });
      const output = await items.client.send(command);
      requests = (output.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  });
}
