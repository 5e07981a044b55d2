import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { type Emulator, type EmulatorOptions, startEmulator } from './emulator/index';
import { readTableDefinitions } from './tables';

/** The offline AWS stack: dynalite and the ElastiCache emulator on 127.0.0.1 random ports. */
export interface LocalStack {
  readonly dynamodbEndpoint: string;
  readonly elasticacheEndpoint: string;
  readonly policiesTable: string;
  readonly runsTable: string;
  readonly emulator: Emulator;
  /**
   * The environment that points the unmodified code at this stack: the SDK's standard endpoint
   * variables, the table names, a region and dummy credentials.
   */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  readonly emulator?: EmulatorOptions;
  /** Prefix of the local table names (default `local`). */
  readonly tablePrefix?: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

/** Table logical ids in serverless.yml and the config keys they become. */
const TABLE_ROLES = { PoliciesTable: 'policies', RunsTable: 'runs' } as const;

async function listen(server: import('node:http').Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Starts dynalite and the emulator, creates the tables exactly as serverless.yml defines them (read from
 * that file, so local and deployed tables cannot drift) and returns endpoints, table names and `stop`.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const prefix = options.tablePrefix ?? 'local';
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamodbEndpoint = await listen(dynamo);
  const emulator = await startEmulator(options.emulator);
  const client = new DynamoDBClient({
    endpoint: dynamodbEndpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const names: Record<string, string> = {};
  try {
    for (const table of readTableDefinitions()) {
      const role = TABLE_ROLES[table.logicalId as keyof typeof TABLE_ROLES] ?? table.logicalId;
      const TableName = `${prefix}-${role}`;
      await client.send(new CreateTableCommand({ ...table.input, TableName }));
      names[role] = TableName;
    }
  } catch (error) {
    await Promise.all([emulator.stop(), new Promise((resolve) => dynamo.close(resolve))]);
    throw error;
  } finally {
    client.destroy();
  }
  const policiesTable = names.policies ?? '';
  const runsTable = names.runs ?? '';
  return {
    dynamodbEndpoint,
    elasticacheEndpoint: emulator.endpoint,
    policiesTable,
    runsTable,
    emulator,
    env: Object.freeze({
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_ELASTICACHE: emulator.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POLICIES_TABLE: policiesTable,
      RUNS_TABLE: runsTable,
    }),
    async stop() {
      await Promise.all([emulator.stop(), new Promise((resolve) => dynamo.close(resolve))]);
    },
  };
}
