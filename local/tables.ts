import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { parse, type Tags } from 'yaml';

/** serverless.yml at the repository root: the one definition of the tables, deployed and local. */
export const SERVERLESS_YML = fileURLToPath(new URL('../serverless.yml', import.meta.url));

/** The table definitions the local stack needs, keyed by their CloudFormation logical id. */
export interface TableDefinition {
  readonly logicalId: string;
  readonly input: Omit<CreateTableCommandInput, 'TableName'>;
  /** The TTL attribute declared on the table (dynalite cannot expire items; this is for checks). */
  readonly ttlAttribute: string | undefined;
}

/** CloudFormation short-form intrinsics (`!Ref X`, `!Sub …`), kept as `{ Ref: X }`-style objects. */
export const intrinsicTags: Tags = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Not',
  'Select',
  'Split',
  'ImportValue',
].flatMap((name) => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  const resolve = (value: unknown) => ({ [key]: value });
  return [
    { tag: `!${name}`, resolve },
    { tag: `!${name}`, collection: 'seq' as const, resolve },
    { tag: `!${name}`, collection: 'map' as const, resolve },
  ];
});

type Resource = { Type?: string; Properties?: Record<string, unknown> };

/** Reads every `AWS::DynamoDB::Table` of serverless.yml and turns it into a CreateTable input. */
export function readTableDefinitions(path = SERVERLESS_YML): TableDefinition[] {
  const document = parse(readFileSync(path, 'utf8'), { customTags: intrinsicTags }) as {
    resources?: { Resources?: Record<string, Resource> };
  };
  const resources = document.resources?.Resources ?? {};
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, resource]) => {
      const p = resource.Properties ?? {};
      const ttl = p.TimeToLiveSpecification as { AttributeName?: string } | undefined;
      return {
        logicalId,
        ttlAttribute: ttl?.AttributeName,
        input: {
          AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
          KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
          GlobalSecondaryIndexes:
            p.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'],
          BillingMode: p.BillingMode as CreateTableCommandInput['BillingMode'],
          StreamSpecification: p.StreamSpecification
            ? { StreamEnabled: true, ...(p.StreamSpecification as object) }
            : undefined,
        },
      };
    });
}

/**
 * Creates a table on dynalite and returns once it is ACTIVE. dynalite answers CreateTable with the table still
 * CREATING and marks it ACTIVE a timer later (even with `createTableMs: 0`), refusing items meanwhile with
 * ResourceNotFoundException: a write sent at once can lose that race on a busy machine.
 */
export async function createActiveTable(
  client: DynamoDBClient,
  input: CreateTableCommandInput,
): Promise<void> {
  await client.send(new CreateTableCommand(input));
  for (let polls = 0; polls < 500; polls += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${input.TableName} did not become ACTIVE`);
}
