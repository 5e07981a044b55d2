import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { type Emulator, type EmulatorOptions, startEmulator } from './emulator/index';
import { type LocalEventBridge, startLocalEventBridge } from './eventbridge/index';
import { CredentialRegistry } from './identity/credential-registry';
import type { LocalS3, LocalS3Options } from './s3/index';
import { type LocalSts, startLocalSts } from './sts/index';
import { createActiveTable, readTableDefinitions } from './tables';
import { listenLocal } from './wire/listen';

/**
 * The offline AWS stack on 127.0.0.1 random ports: dynalite, the ElastiCache emulator, a local STS and a
 * local EventBridge, and (when asked) a local S3 that the emulator's exports write into. Every service maps
 * credentials to accounts through one registry, so keys issued by the local STS reach the role's account.
 */
export interface LocalStack {
  readonly dynamodbEndpoint: string;
  readonly elasticacheEndpoint: string;
  readonly policiesTable: string;
  readonly runsTable: string;
  readonly targetsTable: string;
  readonly emulator: Emulator;
  readonly sts: LocalSts;
  readonly eventBridge: LocalEventBridge;
  /** The local S3, when the stack was started with `s3`. */
  readonly s3: LocalS3 | undefined;
  /** Which account each access key belongs to (the default local credentials: the emulator's account). */
  readonly credentials: CredentialRegistry;
  readonly deploymentName: string;
  /**
   * The environment that points the unmodified code at this stack: the SDK's standard endpoint variables
   * (`AWS_ENDPOINT_URL_S3` only with `s3`; S3 clients must set `forcePathStyle`, the SDK reads no variable
   * for it), the table names, `DEPLOYMENT_NAME`, a region, the account and dummy credentials.
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Creates the tables of another stage of the service on the same dynalite (`<tablePrefix>-policies`,
   * `<tablePrefix>-runs`) and returns the variables that point a runtime at them as `deploymentName`:
   * two deployments sharing one account's caches and snapshots.
   */
  addStage(deploymentName: string, tablePrefix: string): Promise<Readonly<Record<string, string>>>;
  /** Stops every server of the stack. */
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  readonly emulator?: EmulatorOptions;
  /** Prefix of the local table names (default `local`). */
  readonly tablePrefix?: string;
  /** `DEPLOYMENT_NAME` in `env` (default `cache-snapshot-orchestrator-local`). */
  readonly deploymentName?: string;
  /**
   * Starts the local S3 too (s3rver; its first start in a process costs ~250 ms, hence opt-in), with
   * `AWS_ENDPOINT_URL_S3` in `env` and the emulator's exports pointed at it.
   */
  readonly s3?: boolean | Omit<LocalS3Options, 'credentials'>;
  /** The clock of issued credentials (their Expiration and expiry): default the wall clock. */
  readonly identityClock?: () => Date;
  /** The time of events put without a Time: default the wall clock. */
  readonly eventClock?: () => Date;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';
const DEFAULT_ACCOUNT = '123456789012';
const DEFAULT_DEPLOYMENT = 'cache-snapshot-orchestrator-local';

/** Table logical ids in serverless.yml and the config keys they become. */
const TABLE_ROLES = { PoliciesTable: 'policies', RunsTable: 'runs', TargetsTable: 'targets' } as const;

/** Creates the tables exactly as serverless.yml defines them (read from that file, so they cannot drift). */
async function createTables(endpoint: string, prefix: string): Promise<Record<string, string>> {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
  const names: Record<string, string> = {};
  try {
    for (const table of readTableDefinitions()) {
      const role = TABLE_ROLES[table.logicalId as keyof typeof TABLE_ROLES] ?? table.logicalId;
      const TableName = `${prefix}-${role}`;
      await createActiveTable(client, { ...table.input, TableName });
      names[role] = TableName;
    }
    return names;
  } finally {
    client.destroy();
  }
}

async function startS3(option: LocalStackOptions['s3'], credentials: CredentialRegistry) {
  if (!option) return undefined;
  const { startLocalS3 } = await import('./s3/index');
  return startLocalS3({ ...(option === true ? {} : option), credentials });
}

/** The table names of one stage as the functions read them (every table serverless.yml defines). */
function tableEnv(names: Record<string, string>) {
  return {
    POLICIES_TABLE: names.policies ?? '',
    RUNS_TABLE: names.runs ?? '',
    TARGETS_TABLE: names.targets ?? '',
  };
}

/** Stacks started and not stopped yet (see stopRunningStacks). */
const running = new Set<LocalStack>();

/**
 * Stops every stack this process started and has not stopped: what a test left running when it timed out
 * (its `afterAll` had nothing to stop), which would otherwise keep a simulation busy into the next test file
 * of a shared worker. Its calls then fail instead (connection refused) and end it.
 */
export function stopRunningStacks(): Promise<unknown> {
  return Promise.all([...running].map((stack) => stack.stop()));
}

/** Starts the stack, creates the tables, and returns endpoints, table names, controls and `stop`. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const credentials =
    options.emulator?.credentials ??
    new CredentialRegistry(options.emulator?.accountId ?? DEFAULT_ACCOUNT, options.identityClock);
  const stoppers: (() => Promise<unknown>)[] = [];
  const stopAll = () => Promise.all(stoppers.map((stop) => stop()));
  try {
    const dynamo = await listenLocal(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
    stoppers.push(() => dynamo.close());
    const s3 = await startS3(options.s3, credentials);
    if (s3) stoppers.push(() => s3.stop());
    const emulator = await startEmulator({ ...options.emulator, credentials, s3Endpoint: s3?.endpoint });
    stoppers.push(() => emulator.stop());
    const sts = await startLocalSts({ credentials });
    stoppers.push(() => sts.stop());
    const eventBridge = await startLocalEventBridge({ credentials, clock: options.eventClock });
    stoppers.push(() => eventBridge.stop());
    const names = await createTables(dynamo.endpoint, options.tablePrefix ?? 'local');
    const deploymentName = options.deploymentName ?? DEFAULT_DEPLOYMENT;
    let stopped: Promise<void> | undefined;
    const stack: LocalStack = {
      dynamodbEndpoint: dynamo.endpoint,
      elasticacheEndpoint: emulator.endpoint,
      policiesTable: names.policies ?? '',
      runsTable: names.runs ?? '',
      targetsTable: names.targets ?? '',
      emulator,
      sts,
      eventBridge,
      s3,
      credentials,
      deploymentName,
      env: Object.freeze({
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_ELASTICACHE: emulator.endpoint,
        AWS_ENDPOINT_URL_STS: sts.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
        ...(s3 ? { AWS_ENDPOINT_URL_S3: s3.endpoint } : {}),
        AWS_REGION: REGION,
        AWS_ACCOUNT_ID: credentials.defaultAccountId,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        ...tableEnv(names),
        DEPLOYMENT_NAME: deploymentName,
      }),
      async addStage(stageDeployment: string, stagePrefix: string) {
        const stage = await createTables(dynamo.endpoint, stagePrefix);
        return Object.freeze({ ...tableEnv(stage), DEPLOYMENT_NAME: stageDeployment });
      },
      /** Stops the servers once; later calls wait for that. */
      stop() {
        running.delete(stack);
        stopped ??= stopAll().then(() => undefined);
        return stopped;
      },
    };
    running.add(stack);
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
