/**
 * A small request/response HTTP server for the local AWS endpoints that answer whole bodies (STS, EventBridge):
 * the request read in full, handed over with its headers, the answer written with a request id.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type LocalEndpoint, listenLocal } from './listen';

export interface ServiceRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The id of this request, for the answer's body and its `x-amzn-requestid` header. */
  readonly requestId: string;
}

export interface ServiceAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One header's value (the first, when repeated). */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Serves `handle` on 127.0.0.1; a handler that throws answers 500 and is logged. */
export async function listenService(
  name: string,
  handle: (request: ServiceRequest) => Promise<ServiceAnswer> | ServiceAnswer,
  port = 0,
): Promise<LocalEndpoint> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const requestId = randomUUID();
      Promise.resolve()
        .then(() =>
          handle({
            method: request.method ?? 'GET',
            url: request.url ?? '/',
            headers: request.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            requestId,
          }),
        )
        .then((answer) => {
          response.writeHead(answer.status, {
            'content-type': answer.contentType,
            'content-length': Buffer.byteLength(answer.body),
            'x-amzn-requestid': requestId,
            date: new Date().toUTCString(),
            ...answer.headers,
          });
          response.end(answer.body);
        })
        .catch((error: unknown) => {
          console.error(`${name}: request failed`, error);
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(String(error));
        });
    });
  });
  server.keepAliveTimeout = 30_000;
  return listenLocal(server, port);
}
