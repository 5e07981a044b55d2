/**
 * Reads the parts of a SigV4 `Authorization` header the local services route by: the access key id (which
 * account) and the credential scope's region and service. Signatures are never verified here.
 */

/** `Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request` of an `AWS4-HMAC-SHA256` header. */
export interface SignatureScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** The scope of a SigV4 header; undefined when the header is absent or not of that shape. */
export function parseSigV4Authorization(header: string | undefined): SignatureScope | undefined {
  if (header === undefined || !header.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const match = CREDENTIAL.exec(header);
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = ''] = match;
  return { accessKeyId, date, region, service };
}
