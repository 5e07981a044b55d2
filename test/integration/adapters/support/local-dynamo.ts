import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { vi } from 'vitest';
import { createItemClient, type ItemClient } from '#lib/adapters/dynamodb/item-client';
import { createActiveTable, readTableDefinitions } from '#local/tables';

/** dynalite on a random port, with fresh tables on demand, defined as serverless.yml defines them. */
export interface LocalDynamo {
  /** The client the stores use, built by the production factory (endpoint from the environment). */
  readonly client: ItemClient;
  /** Creates a new, empty table like `logicalId` in serverless.yml and returns its name. */
  createTable(logicalId: 'PoliciesTable' | 'RunsTable' | 'TargetsTable'): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite and points `AWS_ENDPOINT_URL_DYNAMODB` at it, so the stores use the same client factory as
 * in Lambda. (local/stack.ts's startLocalStack also boots the ElastiCache emulator and creates one pair of
 * tables; these tests want a fresh table per test and nothing else.)
 */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  const client = createItemClient();
  const admin = new DynamoDBClient({ endpoint });
  const definitions = readTableDefinitions();
  let tableCount = 0;
  return {
    client,
    async createTable(logicalId) {
      const definition = definitions.find((table) => table.logicalId === logicalId);
      if (definition === undefined) throw new Error(`serverless.yml defines no table ${logicalId}`);
      tableCount += 1;
      const TableName = `${logicalId.toLowerCase()}-${tableCount}`;
      await createActiveTable(admin, { ...definition.input, TableName });
      return TableName;
    },
    async stop() {
      client.destroy();
      admin.destroy();
      vi.unstubAllEnvs();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
