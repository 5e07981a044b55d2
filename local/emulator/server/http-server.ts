/**
 * The HTTP transport: reads each request's form members (POST body, or the query string of a GET), hands
 * them to the pipeline and writes the answer the way AWS does, or destroys the socket for a dropped call.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { headerOf } from '#local/wire/http-service';
import { type LocalEndpoint, listenLocal } from '#local/wire/listen';
import type { Answer, IncomingCall } from './request-pipeline';

export type HttpTransport = LocalEndpoint;

function readForm(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      resolve(
        request.method === 'GET' ? new URL(request.url ?? '/', 'http://emulator').search.slice(1) : body,
      );
    });
    request.on('error', reject);
  });
}

function send(request: IncomingMessage, response: ServerResponse, answer: Answer): void {
  if (answer.kind === 'drop') {
    request.socket.destroy();
    return;
  }
  response.writeHead(answer.status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(answer.body),
    'x-amzn-requestid': answer.requestId,
    date: new Date().toUTCString(),
  });
  response.end(answer.body);
}

/** Listens on 127.0.0.1:`port` (0 = any free port) and answers every request with `handle`. */
export async function listenHttp(
  port: number,
  handle: (call: IncomingCall) => Promise<Answer>,
): Promise<HttpTransport> {
  const server = createServer((request, response) => {
    readForm(request)
      .then((form) =>
        handle({
          authorization: request.headers.authorization,
          securityToken: headerOf(request.headers, 'x-amz-security-token'),
          form,
        }),
      )
      .then((answer) => send(request, response, answer))
      .catch((error: unknown) => {
        console.error('ElastiCache emulator: request failed', error);
        request.socket.destroy();
      });
  });
  server.keepAliveTimeout = 30_000;
  return listenLocal(server, port);
}
