/**
 * ListObjectsV2 for the local S3. s3rver's own breaks as soon as a listing is truncated: its continuation
 * token is DES-encrypted, a cipher OpenSSL 3 (Node 17 and later) no longer offers, so it answers
 * InternalError. The front asks s3rver for the same page as a version 1 listing (whose `marker` needs no
 * cipher) and answers it as version 2, with a continuation token of its own: the page's last key, base64url.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Exchange } from './object-extras';

type Forward = (
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
) => Promise<Exchange>;

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => XML_ENTITIES[entity] ?? entity);
}

function lastOf(xml: string, element: string): string | undefined {
  const matches = [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))];
  const last = matches.at(-1)?.[1];
  return last === undefined ? undefined : unescapeXml(last);
}

/** A ListObjectsV2 request (`GET /bucket?list-type=2…`) answered through s3rver's version 1 listing. */
export async function listObjectsV2(
  bucket: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  forward: Forward,
): Promise<Exchange> {
  const token = query.get('continuation-token');
  const marker = token ? Buffer.from(token, 'base64url').toString('utf8') : (query.get('start-after') ?? '');
  const v1 = new URLSearchParams();
  for (const name of ['prefix', 'delimiter', 'max-keys', 'encoding-type']) {
    const value = query.get(name);
    if (value !== null) v1.set(name, value);
  }
  if (marker !== '') v1.set('marker', marker);
  const answer = await forward('GET', `/${encodeURIComponent(bucket)}?${v1}`, headers, Buffer.alloc(0));
  if (answer.status !== 200) return answer;
  const xml = answer.body.toString('utf8');
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  const keys = [...xml.matchAll(/<Contents>/g)].length + [...xml.matchAll(/<CommonPrefixes>/g)].length;
  const last = [lastOf(xml, 'Key'), lastOf(xml, 'Prefix')]
    .filter((value): value is string => value !== undefined)
    .sort()
    .at(-1);
  const next =
    truncated && last !== undefined
      ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>`
      : '';
  const start = token
    ? `<ContinuationToken>${token}</ContinuationToken>`
    : marker
      ? `<StartAfter>${marker}</StartAfter>`
      : '';
  const v2 = xml
    .replace(/<Marker>[^<]*<\/Marker>/, `${start}${next}<KeyCount>${keys}</KeyCount>`)
    .replace(/<NextMarker>[^<]*<\/NextMarker>/, '');
  return { ...answer, body: Buffer.from(v2) };
}
