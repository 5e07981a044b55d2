import type { ItemClient } from '#lib/adapters/dynamodb/item-client';

/** What a client read: calls, items DynamoDB read to answer them, and read capacity units consumed. */
export interface ReadTally {
  calls: number;
  items: number;
  capacityUnits: number;
}

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null ? Reflect.get(source, key) : undefined;
}

/** Items a read evaluated (what it is billed for): ScannedCount for Query and Scan, items returned otherwise. */
function itemsRead(output: unknown): number {
  const scanned = field(output, 'ScannedCount');
  if (typeof scanned === 'number') return scanned;
  if (field(output, 'Item') !== undefined) return 1;
  const responses = field(output, 'Responses');
  if (typeof responses !== 'object' || responses === null) return 0;
  return Object.values(responses).reduce(
    (sum: number, items) => sum + (Array.isArray(items) ? items.length : 0),
    0,
  );
}

function capacityOf(output: unknown): number {
  const consumed = field(output, 'ConsumedCapacity');
  const list = Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed];
  return list.reduce((sum: number, entry) => {
    const units = field(entry, 'CapacityUnits');
    return sum + (typeof units === 'number' ? units : 0);
  }, 0);
}

/**
 * Counts every read `items` makes, asking DynamoDB for `ReturnConsumedCapacity: TOTAL` on each (dynalite
 * computes it as DynamoDB does: 4 KB units, halved for eventually consistent reads). Call it before the
 * client's first call: its middleware stack is resolved once (cacheMiddleware).
 */
export function meterReads(items: ItemClient): { tally: ReadTally; reset(): void } {
  const tally: ReadTally = { calls: 0, items: 0, capacityUnits: 0 };
  items.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!READS.has(context.commandName ?? '')) return next(args);
      Object.assign(args.input as object, { ReturnConsumedCapacity: 'TOTAL' });
      const result = await next(args);
      tally.calls += 1;
      tally.items += itemsRead(result.output);
      tally.capacityUnits += capacityOf(result.output);
      return result;
    },
    { step: 'initialize', name: 'benchReadMeter' },
  );
  return {
    tally,
    reset() {
      Object.assign(tally, { calls: 0, items: 0, capacityUnits: 0 });
    },
  };
}
