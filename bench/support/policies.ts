import { type AttributeValue, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ItemClient } from '#lib/adapters/dynamodb/item-client';
import { toStoredPolicyItem } from '#lib/adapters/policy-items';
import { DAY_MS, MINUTE_MS, toIso } from '#lib/clock';
import { runBounded } from '#lib/concurrency';
import { computeSpecHash } from '#lib/policy/parse-policy';
import type { PolicyItem } from '#lib/policy/types';

/**
 * A daily schedule at `minuteOfDay` (UTC, 0–1439) and its first slot after `after`: the `nextRunAt` sync
 * gives a policy (or enrolment a target) on that schedule at `after`, so it is not due then.
 */
export function dailyAfter(minuteOfDay: number, after: Date): { schedule: string; nextRunAt: string } {
  const dayStart = Math.floor(after.getTime() / DAY_MS) * DAY_MS;
  let next = dayStart + minuteOfDay * MINUTE_MS;
  if (next <= after.getTime()) next += DAY_MS;
  const schedule = `cron(${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * ? *)`;
  return { schedule, nextRunAt: toIso(new Date(next)) };
}

/**
 * An operator record as policy sync leaves a valid one: ACTIVE, in sync, due at `nextRunAt` (a `targets`
 * policy has none: its targets hold their schedule state).
 */
export function syncedPolicy(
  operator: PolicyItem,
  nextRunAt: string | undefined,
  syncedAt: string,
): PolicyItem {
  const synced = { ...operator, state: 'ACTIVE' as const, specHash: computeSpecHash(operator), syncedAt };
  return nextRunAt === undefined ? synced : { ...synced, nextRunAt };
}

/**
 * Writes policy items straight into the table with BatchWriteItem, stored exactly as the stores store them
 * (with the derived `dueBucket`).
 */
export async function writePolicies(
  items: ItemClient,
  tableName: string,
  policies: readonly PolicyItem[],
): Promise<void> {
  await writeItems(items, tableName, policies.map(toStoredPolicyItem));
}

/**
 * Writes stored items (as a store would store them) straight into a table with BatchWriteItem (25 per
 * call, a few calls at once), retrying unprocessed items: seeding thousands costs seconds, not minutes.
 */
export async function writeItems(
  items: ItemClient,
  tableName: string,
  stored: readonly Record<string, unknown>[],
): Promise<void> {
  const batches: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < stored.length; i += 25) {
    batches.push(stored.slice(i, i + 25).map((item) => marshall(item)));
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
