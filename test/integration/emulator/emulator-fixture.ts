/** Shared set-up for the emulator tests: a fake clock, a started emulator and a real SDK client for it. */
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { expect } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '#local/emulator/index';
import { noDelayRetries } from '#local/no-delay-retries';

export const START = new Date('2025-03-01T00:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A clock that only moves when told to. */
export class FakeClock {
  private current = START;
  readonly read = (): Date => this.current;
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Fixture {
  readonly emulator: Emulator;
  readonly clock: FakeClock;
  /** A client that never retries, so every fault reaches the test. */
  readonly client: ElastiCacheClient;
}

/** A real SDK client for `endpoint`: `maxAttempts` calls of the standard retry, without its backoff waits. */
export function clientFor(endpoint: string, maxAttempts = 1): ElastiCacheClient {
  return new ElastiCacheClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    retryStrategy: noDelayRetries(maxAttempts),
  });
}

export async function startFixture(options: Omit<EmulatorOptions, 'clock'> = {}): Promise<Fixture> {
  const clock = new FakeClock();
  const emulator = await startEmulator({ ...options, clock: clock.read });
  return { emulator, clock, client: clientFor(emulator.endpoint) };
}

export async function stopFixture(fixture: Fixture): Promise<void> {
  fixture.client.destroy();
  await fixture.emulator.stop();
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected the call to fail');
}

/** The HTTP status the SDK saw for a service error. */
export function httpStatusOf(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}

/** An Authorization header of the SigV4 shape (the emulator checks the shape, not the signature). */
export const SIGNED =
  'AWS4-HMAC-SHA256 Credential=x/20250301/us-east-1/elasticache/aws4_request, SignedHeaders=host, Signature=00';

/** POSTs an AWS Query form with plain fetch, to see the raw wire answer. */
export async function postForm(endpoint: string, form: Record<string, string>, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ Version: '2015-02-02', ...form }).toString(),
  });
  return { response, xml: await response.text() };
}
