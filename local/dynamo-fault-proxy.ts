/**
 * A fault-injecting HTTP proxy in front of DynamoDB (dynalite on the local stack): every request is
 * forwarded unchanged, except a seeded fraction of the chosen operations (by `X-Amz-Target`, optionally only
 * on some tables; one rate per rule), which are answered with a DynamoDB error instead: a 400 `ThrottlingException` or
 * `ProvisionedThroughputExceededException`, a 500 `InternalServerError`, or a 500 after the request was
 * applied (a write that took effect but whose answer was lost). Point `AWS_ENDPOINT_URL_DYNAMODB` at
 * `endpoint` and the real SDK clients go through it unchanged.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRandom, type Random } from './emulator/prng';

/** How an injected fault answers. `http500AfterEffect` forwards the request first, then answers 500. */
export type DynamoFaultKind = 'throttling' | 'provisionedThroughput' | 'http500' | 'http500AfterEffect';

/** Which requests may fail, and how often. */
export interface DynamoFaultRule {
  /** Operations by their X-Amz-Target suffix, e.g. `PutItem`, `UpdateItem`, `Query`. */
  readonly operations: readonly string[];
  /** Only requests on these tables are eligible; default every table. */
  readonly tables?: readonly string[];
  /** Probability that an eligible request fails, 0..1. */
  readonly rate: number;
  /** Default every kind. */
  readonly kinds?: readonly DynamoFaultKind[];
}

export interface DynamoFaultConfig {
  readonly seed: number;
  /** The first rule a request matches decides; a request no rule matches is forwarded. */
  readonly rules: readonly DynamoFaultRule[];
}

/** One injected fault, as the proxy logged it. */
export interface InjectedDynamoFault {
  readonly operation: string;
  readonly table: string | undefined;
  readonly kind: DynamoFaultKind;
}

export interface DynamoFaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Starts injecting faults (undefined stops); the same seed and requests give the same faults. */
  setFaults(config: DynamoFaultConfig | undefined): void;
  /** Every fault injected so far. */
  readonly injected: readonly InjectedDynamoFault[];
  /** Requests forwarded or answered so far, by operation. */
  readonly requests: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

const ALL_KINDS: readonly DynamoFaultKind[] = [
  'throttling',
  'provisionedThroughput',
  'http500',
  'http500AfterEffect',
];

const ERROR_BODIES: Record<DynamoFaultKind, { status: number; type: string; message: string }> = {
  throttling: {
    status: 400,
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
  provisionedThroughput: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  },
  http500: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error (injected)',
  },
  http500AfterEffect: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error after the request was applied (injected)',
  },
};

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function tableOf(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const table =
      typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'TableName') : undefined;
    return typeof table === 'string' ? table : undefined;
  } catch {
    return undefined;
  }
}

interface Forwarded {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

function forward(target: URL, incoming: IncomingMessage, body: Buffer): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        readBody(answer)
          .then((answerBody) =>
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: answerBody }),
          )
          .catch(reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function answerWithFault(response: ServerResponse, kind: DynamoFaultKind): void {
  const fault = ERROR_BODIES[kind];
  const body = JSON.stringify({ __type: fault.type, message: fault.message });
  response.writeHead(fault.status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': `injected-${Date.now()}`,
  });
  response.end(body);
}

/** Starts the proxy on 127.0.0.1 (a free port), forwarding to `targetEndpoint`; no faults until `setFaults`. */
export async function startDynamoFaultProxy(targetEndpoint: string): Promise<DynamoFaultProxy> {
  const target = new URL(targetEndpoint);
  let faults: { rules: readonly DynamoFaultRule[]; draw: Random } | undefined;
  const injected: InjectedDynamoFault[] = [];
  const requests: Record<string, number> = {};

  const pickFault = (operation: string, table: string | undefined): DynamoFaultKind | undefined => {
    const rule = faults?.rules.find(
      (candidate) =>
        candidate.operations.includes(operation) &&
        (candidate.tables === undefined || (table !== undefined && candidate.tables.includes(table))),
    );
    if (!faults || !rule || faults.draw() >= rule.rate) return undefined;
    const kinds = rule.kinds ?? ALL_KINDS;
    return kinds[Math.floor(faults.draw() * kinds.length)] ?? 'throttling';
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    const operation =
      String(incoming.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    requests[operation] = (requests[operation] ?? 0) + 1;
    const table = tableOf(body);
    const kind = pickFault(operation, table);
    if (kind !== undefined) {
      injected.push({ operation, table, kind });
      if (kind === 'http500AfterEffect') await forward(target, incoming, body);
      answerWithFault(response, kind);
      return;
    }
    const answer = await forward(target, incoming, body);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      incoming.socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setFaults(config) {
      if (config === undefined) {
        faults = undefined;
        return;
      }
      for (const rule of config.rules) {
        if (!(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError('rate must be between 0 and 1');
        if (rule.kinds?.length === 0) throw new RangeError('kinds must name at least one fault kind');
      }
      faults = { rules: config.rules, draw: createRandom(config.seed) };
    },
    get injected() {
      return injected;
    },
    get requests() {
      return requests;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
