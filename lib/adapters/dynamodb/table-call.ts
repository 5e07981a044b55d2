/**
 * Error translation for the DynamoDB stores: callers see ConditionalWriteError or StoreError, never an
 * SDK exception. Paginated reads go through the same translation.
 */
import { ConditionalWriteError, StoreError } from '#lib/errors';

/** A DynamoDB operation on one table, named in every error it raises. */
export interface TableCall {
  readonly operation: string;
  readonly tableName: string;
  /** Index name or a short note of what the call is for, added to messages. */
  readonly detail?: string;
}

function describeCall(call: TableCall): string {
  const detail = call.detail === undefined ? '' : ` (${call.detail})`;
  return `DynamoDB ${call.operation} on table ${call.tableName}${detail}`;
}

/** ConditionalCheckFailedException becomes ConditionalWriteError; anything else StoreError; both keep the cause. */
export function translateDynamoError(err: unknown, call: TableCall): ConditionalWriteError | StoreError {
  if (err instanceof ConditionalWriteError || err instanceof StoreError) return err;
  const name = err instanceof Error ? err.name : 'UnknownError';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'ConditionalCheckFailedException') {
    return new ConditionalWriteError(`${describeCall(call)}: condition not met`, { cause: err });
  }
  return new StoreError(`${describeCall(call)} failed: ${name}: ${message}`, { cause: err });
}

/** Runs one SDK call, translating its error. */
export async function callTable<T>(call: TableCall, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw translateDynamoError(err, call);
  }
}

/** One page of a Query or Scan, as the document client returns it. */
export interface ItemPage {
  readonly Items?: Record<string, unknown>[];
  readonly LastEvaluatedKey?: Record<string, unknown>;
}

/** Every item of a Query or Scan, page after page, following LastEvaluatedKey (pages may be empty). */
export async function* paginateItems(
  call: TableCall,
  fetchPage: (exclusiveStartKey: Record<string, unknown> | undefined) => Promise<ItemPage>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await callTable(call, () => fetchPage(startKey));
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}
