/**
 * `serverless invoke local` of the real functions against a local stack started in the test process:
 * a private copy of the service is packaged once (its template holds the roles the calls are checked
 * against), and each invocation gets the stack's environment with DynamoDB behind a recording proxy.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { DynamoRunStore } from '#lib/adapters/dynamodb/run-store';
import { DynamoTargetTable } from '#lib/adapters/dynamodb/target-table';
import { createElastiCacheClient } from '#lib/adapters/elasticache/client';
import { ElastiCacheSnapshotGateway } from '#lib/adapters/elasticache/snapshot-gateway';
import { type TargetStore, targetStoreOf } from '#lib/targets/target-store';
import type { CallRecord } from '#local/emulator/index';
import { type LocalStack, startLocalStack } from '#local/stack';
import { functionFacts } from '#test/integration/template/functions';
import { copyService, packageService, type ServiceCopy } from '#test/integration/template/service-copy';
import {
  type CfnTemplate,
  isRecord,
  referenceOf,
  renderTemplate,
  roleStatements,
} from '#test/integration/template/template-reader';
import { type DynamoCall, type RecordingProxy, startRecordingProxy } from './recording-proxy';

export type LogLine = Readonly<Record<string, unknown>> & {
  readonly level: string;
  readonly message: string;
};

/** One metric value from an EMF line: its namespace, dimension sets and the dimension values. */
export interface EmittedMetric {
  readonly namespace: unknown;
  readonly name: string;
  readonly dimensions: unknown;
  readonly line: Readonly<Record<string, unknown>>;
}

export interface Invocation {
  /** What the handler returned (invoke local prints it after the logs). */
  readonly result: unknown;
  readonly logs: LogLine[];
  readonly metrics: EmittedMetric[];
  readonly dynamoCalls: DynamoCall[];
  readonly elastiCacheCalls: CallRecord[];
}

interface Request {
  readonly action: string;
  readonly resource: string;
}

/** Test-side clients, straight to the stack (not through the recording proxy). */
export interface Clients {
  /** For writing items exactly as an operator (or a stream sample) has them. */
  readonly dynamodb: DynamoDBClient;
  readonly policies: DynamoPolicyStore;
  readonly runs: DynamoRunStore;
  readonly targets: TargetStore;
  readonly snapshots: ElastiCacheSnapshotGateway;
}

export interface InvokeFixture extends Clients {
  readonly stack: LocalStack;
  readonly template: CfnTemplate;
  /** Invokes `functionName` with an event file of the service (`events/…`) or an event object. */
  invoke(functionName: string, input: { path: string } | { event: unknown }): Promise<Invocation>;
  /**
   * The calls of `invocation` that the function's role in the packaged template does not allow, by action
   * and resource (statement conditions are not evaluated here; iam.test.ts checks them).
   */
  deniedCalls(functionName: string, invocation: Invocation): string[];
  stop(): Promise<void>;
}

function tryParse(line: string): unknown {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function metricsOf(line: Record<string, unknown>): EmittedMetric[] {
  const aws = line._aws;
  if (!isRecord(aws) || !Array.isArray(aws.CloudWatchMetrics)) return [];
  return aws.CloudWatchMetrics.flatMap((directive) => {
    if (!isRecord(directive) || !Array.isArray(directive.Metrics)) return [];
    return directive.Metrics.map((metric) => ({
      namespace: directive.Namespace,
      name: isRecord(metric) ? String(metric.Name) : '',
      dimensions: directive.Dimensions,
      line,
    }));
  });
}

/**
 * Splits invoke local's output: single-line JSON logs (Powertools writes WARN and ERROR to stderr), EMF
 * lines, and the pretty-printed result on stdout.
 */
function parseOutput(stdout: string, stderr: string): Pick<Invocation, 'result' | 'logs' | 'metrics'> {
  const logs: LogLine[] = [];
  const metrics: EmittedMetric[] = [];
  const rest: string[] = [];
  for (const line of stderr.split('\n')) {
    const parsed = tryParse(line);
    if (isRecord(parsed) && typeof parsed.level === 'string') logs.push(parsed as LogLine);
  }
  for (const line of stdout.split('\n')) {
    const parsed = tryParse(line);
    if (isRecord(parsed) && '_aws' in parsed) metrics.push(...metricsOf(parsed));
    else if (isRecord(parsed) && typeof parsed.level === 'string' && typeof parsed.message === 'string') {
      logs.push(parsed as LogLine);
    } else rest.push(line);
  }
  const text = rest.join('\n').trim();
  return { result: text === '' ? undefined : JSON.parse(text), logs, metrics };
}

function elastiCacheRequests(call: CallRecord, arnBase: string): Request[] {
  const param = (name: string) => {
    const value = call.params[name];
    return typeof value === 'string' ? value : undefined;
  };
  const action = `elasticache:${call.action}`;
  const cache = (name = '*') => `${arnBase}:serverlesscache:${name}`;
  const snapshot = (name = '*') => `${arnBase}:serverlesscachesnapshot:${name}`;
  switch (call.action) {
    case 'CreateServerlessCacheSnapshot': {
      const name = param('ServerlessCacheSnapshotName');
      const tagging = call.params.Tags
        ? [{ action: 'elasticache:AddTagsToResource', resource: snapshot(name) }]
        : [];
      return [
        { action, resource: cache(param('ServerlessCacheName')) },
        { action, resource: snapshot(name) },
        ...tagging,
      ];
    }
    case 'DeleteServerlessCacheSnapshot':
      return [{ action, resource: snapshot(param('ServerlessCacheSnapshotName')) }];
    case 'DescribeServerlessCaches':
      return [{ action, resource: cache(param('ServerlessCacheName')) }];
    case 'DescribeServerlessCacheSnapshots': {
      const name = param('ServerlessCacheSnapshotName');
      return [{ action, resource: name ? snapshot(name) : cache(param('ServerlessCacheName')) }];
    }
    case 'ListTagsForResource':
      return [{ action, resource: param('ResourceName') ?? '*' }];
    default:
      return [{ action, resource: '*' }];
  }
}

/** IAM's ARN wildcards: `*` any run of characters, `?` any one character. */
function globMatches(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

export async function startInvokeFixture(): Promise<InvokeFixture> {
  const service: ServiceCopy = await copyService();
  const template = renderTemplate((await packageService(service)).template);
  const stack = await startLocalStack();
  const proxy: RecordingProxy = await startRecordingProxy(stack.dynamodbEndpoint);
  const connection = {
    region: stack.env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamodb = new DynamoDBClient({ ...connection, endpoint: stack.dynamodbEndpoint });
  const documents = createItemClient({ ...connection, endpoint: stack.dynamodbEndpoint });
  const elastiCache = createElastiCacheClient({ ...connection, endpoint: stack.elasticacheEndpoint });
  const tableIds = new Map([
    [stack.policiesTable, 'PoliciesTable'],
    [stack.runsTable, 'RunsTable'],
    [stack.targetsTable, 'TargetsTable'],
  ]);
  const arnBase = `arn:aws:elasticache:${stack.emulator.region}:${stack.emulator.accountId}`;
  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
  const pseudo = (text: string) =>
    text
      .replaceAll('${AWS::Partition}', 'aws')
      .replaceAll('${AWS::Region}', stack.emulator.region)
      .replaceAll('${AWS::AccountId}', stack.emulator.accountId);
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript
  let eventFiles = 0;

  // The child sees the stack, and its own LOG_LEVEL from serverless.yml rather than the test's silence.
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(POWERTOOLS_|LOG_LEVEL$)/.test(key)) childEnv[key] = value;
  }
  Object.assign(childEnv, stack.env, { AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });

  const policies = new DynamoPolicyStore({ client: documents, tableName: stack.policiesTable });
  return {
    stack,
    template,
    dynamodb,
    policies,
    runs: new DynamoRunStore({ client: documents, tableName: stack.runsTable }),
    targets: targetStoreOf(
      policies,
      new DynamoTargetTable({ client: documents, tableName: stack.targetsTable }),
    ),
    snapshots: new ElastiCacheSnapshotGateway(elastiCache),

    async invoke(functionName, input) {
      let path: string;
      if ('path' in input) path = input.path;
      else {
        eventFiles += 1;
        path = join(service.dir, `invoke-event-${eventFiles}.json`);
        await writeFile(path, JSON.stringify(input.event));
      }
      const dynamoFrom = proxy.calls.length;
      const elastiCacheFrom = stack.emulator.calls.length;
      const { stdout, stderr } = await service.serverless(
        [
          ...['invoke', 'local', '--function', functionName, '--path', path],
          ...['--env', `POLICIES_TABLE=${stack.policiesTable}`, '--env', `RUNS_TABLE=${stack.runsTable}`],
          ...['--env', `TARGETS_TABLE=${stack.targetsTable}`],
        ],
        childEnv,
      );
      return {
        ...parseOutput(stdout, stderr),
        dynamoCalls: proxy.calls.slice(dynamoFrom),
        elastiCacheCalls: stack.emulator.calls.slice(elastiCacheFrom),
      };
    },

    deniedCalls(functionName, invocation) {
      const statements = roleStatements(template, functionFacts(functionName).roleId).filter(
        (statement) => statement.Effect === 'Allow',
      );
      const requests: Request[] = [
        ...invocation.dynamoCalls.map((call) => {
          const table = tableIds.get(call.table) ?? call.table;
          return {
            action: `dynamodb:${call.operation}`,
            resource: call.index ? `${table}/index/${call.index}` : table,
          };
        }),
        ...invocation.elastiCacheCalls.flatMap((call) => elastiCacheRequests(call, arnBase)),
      ];
      const allowed = (request: Request) =>
        statements.some(
          (statement) =>
            statement.Action.includes(request.action) &&
            statement.Resource.map(referenceOf).some((reference) =>
              reference.startsWith('arn:')
                ? globMatches(pseudo(reference), request.resource)
                : reference === request.resource,
            ),
        );
      return [
        ...new Set(
          requests.filter((request) => !allowed(request)).map((r) => `${r.action} on ${r.resource}`),
        ),
      ];
    },

    async stop() {
      dynamodb.destroy();
      documents.destroy();
      elastiCache.destroy();
      await proxy.stop();
      await stack.stop();
      await service.remove();
    },
  };
}
