import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { convertToAttr, NumberValueImpl, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ItemPage } from './table-call';

type Values = Record<string, unknown>;
type Attributes = Record<string, AttributeValue>;

const MARSHALL_OPTIONS = { removeUndefinedValues: true };

/**
 * How a DynamoDB number is read: a JavaScript number when it fits one, a bigint for a larger whole number
 * (both as the SDK's default), and a NumberValue keeping the exact text for a larger number with a fraction
 * (`12345678901234567890.5`: DynamoDB keeps 38 digits). The SDK's default throws on that one, which fails the
 * whole page of a Scan or Query: one such attribute, written by hand, would hide every policy. As a
 * NumberValue it reaches policy validation ("must be a number (found object)") and is written back exactly.
 */
export function readNumber(text: string): number | bigint | NumberValueImpl {
  const value = Number(text);
  const fits = value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER;
  if (fits || !Number.isFinite(value)) return value;
  try {
    return BigInt(text);
  } catch {
    return NumberValueImpl.from(text);
  }
}

const UNMARSHALL_OPTIONS = { wrapNumbers: readNumber };

/** An SDK input with expressions only (no legacy parameters) and plain values where it takes attribute values. */
type Plain<Input, Legacy extends keyof Input, Keys extends keyof Input> = Omit<
  Input,
  Legacy | Keys | 'ExpressionAttributeValues'
> & { readonly [K in Keys]: undefined extends Input[K] ? Values | undefined : Values } & {
  readonly ExpressionAttributeValues?: Values;
};

/** BatchGetItem of one table's keys (the only form the stores use). */
export interface BatchGetInput {
  readonly tableName: string;
  readonly keys: readonly Values[];
  readonly consistentRead: boolean;
}

/** The items found, and the keys DynamoDB left unprocessed (to be asked again). */
export interface BatchGetOutput {
  readonly items: Values[];
  readonly unprocessedKeys: Values[];
}

export type GetInput = Plain<GetItemCommandInput, 'AttributesToGet', 'Key'>;
export type PutInput = Plain<PutItemCommandInput, 'Expected' | 'ConditionalOperator', 'Item'>;
export type UpdateInput = Plain<
  UpdateItemCommandInput,
  'AttributeUpdates' | 'Expected' | 'ConditionalOperator',
  'Key'
>;
export type DeleteInput = Plain<DeleteItemCommandInput, 'Expected' | 'ConditionalOperator', 'Key'>;
export type QueryInput = Plain<
  QueryCommandInput,
  'KeyConditions' | 'QueryFilter' | 'AttributesToGet' | 'ConditionalOperator',
  'ExclusiveStartKey'
>;
export type ScanInput = Plain<
  ScanCommandInput,
  'ScanFilter' | 'AttributesToGet' | 'ConditionalOperator',
  'ExclusiveStartKey'
>;

/**
 * As the document client marshals (`marshall` of each value with `convertTopLevelContainer`, which returns
 * convertToAttr's answer unchanged): undefined attributes, map entries and list elements dropped.
 */
function toAttributes(values: Values): Attributes;
function toAttributes(values: Values | undefined): Attributes | undefined;
function toAttributes(values: Values | undefined): Attributes | undefined {
  if (values === undefined) return undefined;
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) {
      attributes[name] = convertToAttr(value, MARSHALL_OPTIONS);
    }
  }
  return attributes;
}

function toValues(attributes: Attributes | undefined): Values | undefined {
  return attributes === undefined ? undefined : unmarshall(attributes, UNMARSHALL_OPTIONS);
}

/** A Query or Scan input with its start key and expression values marshalled. */
function toListingInput<Input extends { ExclusiveStartKey?: Values; ExpressionAttributeValues?: Values }>(
  input: Input,
) {
  return {
    ...input,
    ExclusiveStartKey: toAttributes(input.ExclusiveStartKey),
    ExpressionAttributeValues: toAttributes(input.ExpressionAttributeValues),
  };
}

function toPage(output: { Items?: Attributes[]; LastEvaluatedKey?: Attributes }): ItemPage {
  return {
    Items: output.Items?.map((item) => unmarshall(item, UNMARSHALL_OPTIONS)),
    LastEvaluatedKey: toValues(output.LastEvaluatedKey),
  };
}

/**
 * The DynamoDB calls the stores make, on items as plain values: what `@aws-sdk/lib-dynamodb`'s document
 * client does (same input shapes, same marshalling with `removeUndefinedValues`; numbers read with readNumber), on the plain client with
 * the SDK's `cacheMiddleware` on. The document client cannot use that option (it refuses it) and so rebuilds
 * and sorts the middleware stack of every call, plus its own marshalling middleware: about a tenth of a
 * 1,000-due tick's CPU (BENCHMARKS.md, row 4). Errors are the SDK's, as they were (table-call.ts translates).
 */
export class ItemClient {
  /** `client` must not have its middleware stack changed after its first call (cacheMiddleware). */
  constructor(readonly client: DynamoDBClient) {}

  async get(input: GetInput): Promise<Values | undefined> {
    const output = await this.client.send(new GetItemCommand({ ...input, Key: toAttributes(input.Key) }));
    return toValues(output.Item);
  }

  async batchGet(input: BatchGetInput): Promise<BatchGetOutput> {
    const { tableName, consistentRead } = input;
    const Keys = input.keys.map((key) => toAttributes(key));
    const output = await this.client.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys, ConsistentRead: consistentRead } } }),
    );
    return {
      items: (output.Responses?.[tableName] ?? []).map((item) => unmarshall(item, UNMARSHALL_OPTIONS)),
      unprocessedKeys: (output.UnprocessedKeys?.[tableName]?.Keys ?? []).map((key) =>
        unmarshall(key, UNMARSHALL_OPTIONS),
      ),
    };
  }

  async put(input: PutInput): Promise<void> {
    const values = toAttributes(input.ExpressionAttributeValues);
    await this.client.send(
      new PutItemCommand({ ...input, Item: toAttributes(input.Item), ExpressionAttributeValues: values }),
    );
  }

  async update(input: UpdateInput): Promise<void> {
    const values = toAttributes(input.ExpressionAttributeValues);
    await this.client.send(
      new UpdateItemCommand({ ...input, Key: toAttributes(input.Key), ExpressionAttributeValues: values }),
    );
  }

  async delete(input: DeleteInput): Promise<void> {
    const values = toAttributes(input.ExpressionAttributeValues);
    await this.client.send(
      new DeleteItemCommand({ ...input, Key: toAttributes(input.Key), ExpressionAttributeValues: values }),
    );
  }

  async query(input: QueryInput): Promise<ItemPage> {
    return toPage(await this.client.send(new QueryCommand(toListingInput(input))));
  }

  async scan(input: ScanInput): Promise<ItemPage> {
    return toPage(await this.client.send(new ScanCommand(toListingInput(input))));
  }

  destroy(): void {
    this.client.destroy();
  }
}

/**
 * The one place the stores' DynamoDB client is built. No endpoint is set, so the SDK's standard
 * `AWS_ENDPOINT_URL_DYNAMODB` decides between AWS and the local stack; `config` is for tests only.
 */
export function createItemClient(config: DynamoDBClientConfig = {}): ItemClient {
  return new ItemClient(new DynamoDBClient({ cacheMiddleware: true, ...config }));
}
