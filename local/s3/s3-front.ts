/**
 * The HTTP front of the local S3: every request goes through it to s3rver, which keeps the objects. It adds
 * what s3rver lacks and the orchestrator relies on, with real S3's wire shapes:
 * - buckets in several regions: CreateBucket's LocationConstraint (or a control) sets a bucket's region,
 *   GetBucketLocation answers it and HeadBucket carries it in `x-amz-bucket-region`;
 * - UploadPartCopy (multipart copy), which s3rver answers NotImplemented: the part is read from the source
 *   (with its byte range) and uploaded as an ordinary part;
 * - credentials: any SigV4 key the shared registry accepts (expired or tokenless temporary keys are refused
 *   as S3 does), handed on to s3rver as its own key;
 * - streamed uploads: `aws-chunked` bodies (the SDK's default for streams, with a trailing checksum) decoded;
 * - object tags, ListParts and AbortMultipartUpload (object-extras.ts), and ListObjectsV2 pages
 *   (list-objects-v2.ts).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { authenticate } from '#local/identity/authenticate';
import type { CredentialRegistry } from '#local/identity/credential-registry';
import { headerOf } from '#local/wire/http-service';
import { type LocalEndpoint, listenLocal } from '#local/wire/listen';
import { parseSigV4Authorization } from '#local/wire/sigv4';
import { escapeXml } from '#local/wire/xml';
import { listObjectsV2 } from './list-objects-v2';
import { type Exchange, type ObjectExtras, S3_NAMESPACE, s3Error, xmlAnswer } from './object-extras';

/** The region of each bucket; a bucket nobody placed is in us-east-1, as with CreateBucket without a constraint. */
export class BucketRegions {
  private readonly regions = new Map<string, string>();
  set(bucket: string, region: string): void {
    this.regions.set(bucket, region);
  }
  get(bucket: string): string {
    return this.regions.get(bucket) ?? 'us-east-1';
  }
  delete(bucket: string): void {
    this.regions.delete(bucket);
  }
}

const AUTH_ERRORS = {
  missing: s3Error(403, 'AccessDenied', 'Access Denied'),
  malformed: s3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.'),
  expired: s3Error(400, 'ExpiredToken', 'The provided token has expired.'),
  'invalid-token': s3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.'),
} as const;

/**
 * The payload of an `aws-chunked` body (the SDK's streaming uploads with trailing checksums): each chunk is
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`, ended by a zero-size chunk and the trailers.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** The request as s3rver understands it: an `aws-chunked` body decoded, its framing headers dropped. */
function unchunked(
  headers: IncomingHttpHeaders,
  body: Buffer,
): { headers: IncomingHttpHeaders; body: Buffer } {
  const encoding = headerOf(headers, 'content-encoding') ?? '';
  if (!encoding.split(',').some((part) => part.trim() === 'aws-chunked')) return { headers, body };
  const rest = encoding
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== 'aws-chunked' && part !== '');
  const plain: IncomingHttpHeaders = { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  delete plain['x-amz-decoded-content-length'];
  delete plain['x-amz-trailer'];
  if (rest.length > 0) plain['content-encoding'] = rest.join(',');
  else delete plain['content-encoding'];
  return { headers: plain, body: decodeAwsChunked(body) };
}

/**
 * One request the front answered, for tests: who signed it (the access key, and the account the registry
 * gave it: undefined when refused) and what it asked for. Only what the request line and headers say.
 */
export interface S3Call {
  readonly method: string;
  readonly bucket: string;
  /** The object key; undefined for a call on the bucket. */
  readonly key: string | undefined;
  /** The query's parameter names (`tagging`, `uploadId`, `list-type`, …), sorted. */
  readonly query: readonly string[];
  /** `x-amz-copy-source` of a copy. */
  readonly copySource: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly accountId: string | undefined;
  readonly status: number;
}

export interface S3FrontOptions {
  /** s3rver's endpoint. */
  readonly upstream: string;
  readonly credentials: CredentialRegistry;
  readonly regions: BucketRegions;
  /** Object tags and the multipart calls s3rver lacks (object-extras.ts). */
  readonly extras: ObjectExtras;
  /** Every request answered is appended here (S3Call). */
  readonly calls: S3Call[];
  readonly port?: number;
}

export async function listenS3Front(options: S3FrontOptions): Promise<LocalEndpoint> {
  const upstream = new URL(options.upstream);

  function forward(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<Exchange> {
    const outgoing: IncomingHttpHeaders = {
      ...headers,
      host: upstream.host,
      'content-length': String(body.length),
    };
    delete outgoing['transfer-encoding'];
    if (outgoing.authorization)
      outgoing.authorization = outgoing.authorization.replace(/Credential=[^/]+\//, 'Credential=S3RVER/');
    return new Promise((resolve, reject) => {
      const sent = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers: outgoing },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 500,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  }

  async function uploadPartCopy(path: string, headers: IncomingHttpHeaders): Promise<Exchange> {
    const source =
      decodeURIComponent(headerOf(headers, 'x-amz-copy-source') ?? '')
        .replace(/^\//, '')
        .split('?')[0] ?? '';
    const range = headerOf(headers, 'x-amz-copy-source-range');
    const sourcePath = `/${source.split('/').map(encodeURIComponent).join('/')}`;
    const { authorization } = headers;
    const read = await forward(
      'GET',
      sourcePath,
      {
        authorization,
        'x-amz-date': headerOf(headers, 'x-amz-date'),
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        ...(range ? { range } : {}),
      },
      Buffer.alloc(0),
    );
    if (read.status !== 200 && read.status !== 206) return read;
    const partHeaders: IncomingHttpHeaders = { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    for (const name of Object.keys(partHeaders))
      if (name.startsWith('x-amz-copy-source')) delete partHeaders[name];
    delete partHeaders['x-amz-checksum-crc32'];
    const written = await forward('PUT', path, partHeaders, read.body);
    if (written.status !== 200) return written;
    return xmlAnswer(
      200,
      `<CopyPartResult xmlns="${S3_NAMESPACE}"><LastModified>${new Date().toISOString()}</LastModified><ETag>${escapeXml(String(written.headers.etag ?? ''))}</ETag></CopyPartResult>`,
    );
  }

  /** `route`, with the request and its answer's status appended to the call log. */
  async function answer(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<Exchange> {
    const identity = authenticate(
      options.credentials,
      headers.authorization,
      headerOf(headers, 'x-amz-security-token'),
    );
    const exchange = identity.ok ? await route(method, url, headers, body) : AUTH_ERRORS[identity.reason];
    const segments = url.pathname.split('/').filter((part) => part !== '');
    options.calls.push({
      method,
      bucket: decodeURIComponent(segments[0] ?? ''),
      key: segments.length > 1 ? segments.slice(1).map(decodeURIComponent).join('/') : undefined,
      query: [...new Set(url.searchParams.keys())].sort(),
      copySource: headerOf(headers, 'x-amz-copy-source'),
      accessKeyId: parseSigV4Authorization(headers.authorization)?.accessKeyId,
      accountId: identity.ok ? identity.principal.accountId : undefined,
      status: exchange.status,
    });
    return exchange;
  }

  async function route(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<Exchange> {
    const path = `${url.pathname}${url.search}`;
    const segments = url.pathname.split('/').filter((part) => part !== '');
    const bucket = decodeURIComponent(segments[0] ?? '');
    const onBucket = segments.length === 1;
    const query = url.searchParams;
    const plain = unchunked(headers, body);
    if (!onBucket) {
      const key = segments.slice(1).map(decodeURIComponent).join('/');
      const call = { method, bucket, key, query, headers, body: plain.body };
      const early = await options.extras.answerFirst(call);
      if (early) return early;
      const answer =
        method === 'PUT' && query.has('uploadId') && headerOf(headers, 'x-amz-copy-source')
          ? await uploadPartCopy(path, headers)
          : await forward(method, path, plain.headers, plain.body);
      return options.extras.afterForward(call, answer);
    }
    if (method === 'GET' && query.get('list-type') === '2')
      return listObjectsV2(bucket, query, headers, forward);
    const answer = await forward(method, path, plain.headers, plain.body);
    if (answer.status >= 300) return answer;
    if (method === 'POST' && query.has('delete')) options.extras.afterDeleteObjects(bucket, plain.body);
    if (method === 'GET' && query.has('location')) {
      const region = options.regions.get(bucket);
      const constraint = region === 'us-east-1' ? '' : escapeXml(region);
      return xmlAnswer(200, `<LocationConstraint xmlns="${S3_NAMESPACE}">${constraint}</LocationConstraint>`);
    }
    if (method === 'PUT' && [...query.keys()].length === 0) {
      const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(body.toString('utf8'))?.[1];
      options.regions.set(bucket, constraint || 'us-east-1');
    }
    if (method === 'DELETE' && [...query.keys()].length === 0) {
      options.regions.delete(bucket);
      options.extras.forgetBucket(bucket);
    }
    if (method === 'HEAD')
      return {
        ...answer,
        headers: { ...answer.headers, 'x-amz-bucket-region': options.regions.get(bucket) },
      };
    return answer;
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      answer(method, new URL(request.url ?? '/', 'http://local-s3'), request.headers, Buffer.concat(chunks))
        .then((answer) => {
          const headers: IncomingHttpHeaders = { ...answer.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          if (method !== 'HEAD') headers['content-length'] = String(answer.body.length);
          response.writeHead(answer.status, headers);
          response.end(method === 'HEAD' ? undefined : answer.body);
        })
        .catch((error: unknown) => {
          console.error('Local S3: request failed', error);
          const failure = s3Error(500, 'InternalError', String(error));
          response.writeHead(failure.status, failure.headers);
          response.end(failure.body);
        });
    });
  });
  server.keepAliveTimeout = 30_000;
  return listenLocal(server, options.port);
}
