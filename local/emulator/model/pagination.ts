/**
 * NextToken pagination in a stable order: items carry an insertion sequence and a token names the last
 * sequence returned, so deleting or adding items between pages neither repeats nor skips the others.
 */
import { faults } from './service-fault';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

const TOKEN_PREFIX = 'emulator-page:';

function encodeToken(seq: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${seq}`).toString('base64url');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined || token === '') return -1;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const seq = Number(text.slice(TOKEN_PREFIX.length));
  if (!text.startsWith(TOKEN_PREFIX) || !Number.isInteger(seq)) {
    throw faults.invalidParameterValue(`Invalid NextToken: ${token}`);
  }
  return seq;
}

/**
 * One page of `items` (which must come in ascending `seq` order) that pass `accept`, after the token.
 * Stops scanning as soon as it knows whether another page exists.
 */
export function takePage<T extends { readonly seq: number }>(
  items: Iterable<T>,
  accept: (item: T) => boolean,
  nextToken: string | undefined,
  pageSize: number,
): Page<T> {
  const after = decodeToken(nextToken);
  const page: T[] = [];
  for (const item of items) {
    if (item.seq <= after || !accept(item)) continue;
    if (page.length === pageSize) {
      const last = page[page.length - 1];
      return { items: page, nextToken: last ? encodeToken(last.seq) : undefined };
    }
    page.push(item);
  }
  return { items: page, nextToken: undefined };
}
