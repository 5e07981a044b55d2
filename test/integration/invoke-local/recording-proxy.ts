/**
 * An HTTP proxy in front of the local DynamoDB that records every call (operation, table, index) and
 * forwards it unchanged: what a function's code really asks of DynamoDB, to hold against its IAM role.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoCall {
  readonly operation: string;
  readonly table: string;
  readonly index: string | undefined;
}

export interface RecordingProxy {
  readonly endpoint: string;
  readonly calls: DynamoCall[];
  stop(): Promise<void>;
}

/** The table a call names: `TableName`, or the one table of a batch call's `RequestItems`. */
function tableOf(parsed: { TableName?: unknown; RequestItems?: unknown }): string {
  if (parsed.TableName !== undefined) return String(parsed.TableName);
  const items = parsed.RequestItems;
  const tables = typeof items === 'object' && items !== null ? Object.keys(items) : [];
  return tables.length === 1 ? (tables[0] ?? '') : tables.join(',');
}

function recordOf(target: string | undefined, body: string): DynamoCall {
  const parsed = JSON.parse(body || '{}') as {
    TableName?: unknown;
    IndexName?: unknown;
    RequestItems?: unknown;
  };
  return {
    operation: (target ?? '').split('.').pop() ?? '',
    table: tableOf(parsed),
    index: typeof parsed.IndexName === 'string' ? parsed.IndexName : undefined,
  };
}

export async function startRecordingProxy(targetEndpoint: string): Promise<RecordingProxy> {
  const target = new URL(targetEndpoint);
  const calls: DynamoCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = incoming.headers['x-amz-target'];
      calls.push(recordOf(Array.isArray(header) ? header[0] : header, body.toString('utf8')));
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
