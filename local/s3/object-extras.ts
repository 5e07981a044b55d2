/**
 * What the local S3 adds to s3rver for objects, with real S3's wire shapes:
 * - object tags kept here, not in s3rver (whose tag store turns a value such as `0042` into `42`): set by
 *   PutObjectTagging and by the `x-amz-tagging` header of PutObject, CopyObject (`x-amz-tagging-directive:
 *   REPLACE`; COPY, the default, copies the source's) and CreateMultipartUpload (applied on completion);
 *   forgotten when the object is deleted or written again, or its bucket removed;
 * - ListParts and AbortMultipartUpload, which s3rver lacks, on s3rver's own upload directories, and
 *   NoSuchUpload for any call naming a multipart upload that does not exist (s3rver would fail or start one).
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { headerOf } from '#local/wire/http-service';
import { escapeXml } from '#local/wire/xml';

export interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A request about one object (`/bucket/key`), as the front received it. */
export interface ObjectCall {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type Tags = Readonly<Record<string, string>>;

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function xmlAnswer(status: number, xml: string, extra: IncomingHttpHeaders = {}): Exchange {
  return {
    status,
    headers: { ...extra, 'content-type': 'application/xml' },
    body: Buffer.from(XML_HEAD + xml),
  };
}

export function s3Error(status: number, code: string, message: string): Exchange {
  return xmlAnswer(status, `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`);
}

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Tag' || name === 'Object' });

function tagsOfHeader(header: string | undefined): Tags {
  return Object.fromEntries(new URLSearchParams(header ?? ''));
}

function tagsOfBody(body: Buffer): Tags {
  const parsed = xml.parse(body.toString('utf8')) as {
    Tagging?: { TagSet?: { Tag?: { Key?: string; Value?: string }[] } };
  };
  return Object.fromEntries(
    (parsed.Tagging?.TagSet?.Tag ?? []).map((tag) => [String(tag.Key ?? ''), String(tag.Value ?? '')]),
  );
}

function taggingXml(tags: Tags): string {
  const set = Object.entries(tags)
    .map(([key, value]) => `<Tag><Key>${escapeXml(key)}</Key><Value>${escapeXml(value)}</Value></Tag>`)
    .join('');
  return `<Tagging xmlns="${S3_NAMESPACE}"><TagSet>${set}</TagSet></Tagging>`;
}

/** `bucket/key` of an `x-amz-copy-source` header. */
function copySourceOf(headers: IncomingHttpHeaders): { bucket: string; key: string } | undefined {
  const source = headerOf(headers, 'x-amz-copy-source');
  if (source === undefined) return undefined;
  const [bucket = '', ...key] = decodeURIComponent(source).replace(/^\//, '').split('?')[0]?.split('/') ?? [];
  return { bucket, key: key.join('/') };
}

export class ObjectExtras {
  private readonly tags = new Map<string, Tags>();
  private readonly uploadTags = new Map<string, Tags>();

  /** `uploadsDirectory(bucket)`: where s3rver keeps the bucket's multipart uploads, one directory each. */
  constructor(private readonly uploadsDirectory: (bucket: string) => string) {}

  /** Forgets the tags of every object of `bucket` (the bucket was deleted). */
  forgetBucket(bucket: string): void {
    for (const id of this.tags.keys()) if (id.startsWith(`${bucket}/`)) this.tags.delete(id);
  }

  /** An answer given here instead of s3rver's, or undefined to forward the call. */
  async answerFirst(call: ObjectCall): Promise<Exchange | undefined> {
    const uploadId = call.query.get('uploadId');
    if (uploadId === null) return undefined;
    const directory = join(this.uploadsDirectory(call.bucket), uploadId);
    const exists = await stat(directory).then(
      () => true,
      () => false,
    );
    if (!exists) return s3Error(404, 'NoSuchUpload', 'The specified upload does not exist.');
    if (call.method === 'DELETE') {
      await rm(directory, { recursive: true, force: true });
      this.uploadTags.delete(uploadId);
      return { status: 204, headers: {}, body: Buffer.alloc(0) };
    }
    return call.method === 'GET' ? this.listParts(call, directory, uploadId) : undefined;
  }

  /** s3rver's answer to a call about an object, with the tags recorded or answered. */
  async afterForward(call: ObjectCall, answer: Exchange): Promise<Exchange> {
    if (answer.status >= 300) return answer;
    const id = `${call.bucket}/${call.key}`;
    const { method, headers } = call;
    // The SDK names its operation in an `x-id` parameter; only the others select a subresource.
    const query = new URLSearchParams([...call.query].filter(([name]) => name !== 'x-id'));
    if (query.has('tagging')) {
      if (method === 'GET') return xmlAnswer(200, taggingXml(this.tags.get(id) ?? {}));
      if (method === 'PUT') this.tags.set(id, tagsOfBody(call.body));
      return answer;
    }
    if (method === 'DELETE') this.tags.delete(id);
    if (method === 'POST' && query.has('uploads')) {
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(answer.body.toString('utf8'))?.[1];
      if (uploadId) this.uploadTags.set(uploadId, tagsOfHeader(headerOf(headers, 'x-amz-tagging')));
    }
    if (method === 'POST' && query.has('uploadId')) {
      const uploadId = query.get('uploadId') ?? '';
      this.tags.set(id, this.uploadTags.get(uploadId) ?? {});
      this.uploadTags.delete(uploadId);
    }
    if (method === 'PUT' && [...query.keys()].length === 0) this.tags.set(id, this.tagsOfWrite(headers));
    return answer;
  }

  /** Forgets the tags of the keys a DeleteObjects request named. */
  afterDeleteObjects(bucket: string, body: Buffer): void {
    const parsed = xml.parse(body.toString('utf8')) as { Delete?: { Object?: { Key?: string }[] } };
    for (const object of parsed.Delete?.Object ?? []) this.tags.delete(`${bucket}/${String(object.Key)}`);
  }

  private tagsOfWrite(headers: IncomingHttpHeaders): Tags {
    const source = copySourceOf(headers);
    const replace = headerOf(headers, 'x-amz-tagging-directive') === 'REPLACE';
    if (source === undefined || replace) return tagsOfHeader(headerOf(headers, 'x-amz-tagging'));
    return this.tags.get(`${source.bucket}/${source.key}`) ?? {};
  }

  private async listParts(call: ObjectCall, directory: string, uploadId: string): Promise<Exchange> {
    const marker = Number(call.query.get('part-number-marker') ?? '0');
    const maxParts = Number(call.query.get('max-parts') ?? '1000');
    const numbers = (await readdir(directory))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((number) => number > marker)
      .sort((a, b) => a - b);
    const page = numbers.slice(0, maxParts);
    const parts = await Promise.all(
      page.map(async (number) => {
        const [info, md5] = await Promise.all([
          stat(join(directory, String(number))),
          readFile(join(directory, `${number}.md5`), 'utf8'),
        ]);
        return `<Part><PartNumber>${number}</PartNumber><LastModified>${info.mtime.toISOString()}</LastModified><ETag>"${md5}"</ETag><Size>${info.size}</Size></Part>`;
      }),
    );
    const truncated = numbers.length > page.length;
    return xmlAnswer(
      200,
      `<ListPartsResult xmlns="${S3_NAMESPACE}"><Bucket>${escapeXml(call.bucket)}</Bucket><Key>${escapeXml(call.key)}</Key><UploadId>${escapeXml(uploadId)}</UploadId><PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${page.at(-1) ?? marker}</NextPartNumberMarker><MaxParts>${maxParts}</MaxParts><IsTruncated>${truncated}</IsTruncated>${parts.join('')}</ListPartsResult>`,
    );
  }
}
