import { describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import { AssumeRoleError } from '#lib/errors';
import { cacheCredentials, type TemporaryCredentials } from '#lib/placements/credential-cache';
import { FakeTime } from '#test/support/fake-time';

const START = '2025-03-01T00:00:00.000Z';
const ROLE = 'arn:aws:iam::210987654321:role/cache-snapshot-orchestrator-member';

/** An AssumeRole stand-in: one-hour credentials numbered by call, or the failures queued. */
function fakeSts(time: FakeTime) {
  const failures: unknown[] = [];
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    failNext(error: unknown) {
      failures.push(error);
    },
    fetch: async (): Promise<TemporaryCredentials> => {
      calls += 1;
      await Promise.resolve();
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return {
        accessKeyId: `ASIA${calls}`,
        secretAccessKey: 'secret',
        sessionToken: 'token',
        expiration: new Date(time.now().getTime() + 60 * MINUTE_MS),
      };
    },
  };
}

const refused = () => new AssumeRoleError(ROLE, 'AccessDenied', 'terminal', 'refused');
const throttled = () => new AssumeRoleError(ROLE, 'Throttling', 'transient', 'throttled');

describe('cacheCredentials', () => {
  it('assumes the role once and serves the same credentials until five minutes before they expire', async () => {
    const time = new FakeTime(START);
    const sts = fakeSts(time);
    const credentials = cacheCredentials({ fetch: sts.fetch, clock: time.clock });

    const first = await credentials();
    time.advance(54 * MINUTE_MS);
    const later = await credentials();

    expect(later).toBe(first);
    expect(sts.calls).toBe(1);
  });

  it('fetches new credentials within five minutes of expiry, before the old ones lapse', async () => {
    const time = new FakeTime(START);
    const sts = fakeSts(time);
    const credentials = cacheCredentials({ fetch: sts.fetch, clock: time.clock });

    await credentials();
    time.advance(55 * MINUTE_MS + 1);
    const renewed = await credentials();

    expect(sts.calls).toBe(2);
    expect(renewed.accessKeyId).toBe('ASIA2');
    expect(renewed.expiration.getTime()).toBe(time.now().getTime() + 60 * MINUTE_MS);
  });

  it('makes one AssumeRole for callers that ask at once', async () => {
    const time = new FakeTime(START);
    const sts = fakeSts(time);
    const credentials = cacheCredentials({ fetch: sts.fetch, clock: time.clock });

    const all = await Promise.all(Array.from({ length: 20 }, () => credentials()));

    expect(sts.calls).toBe(1);
    expect(new Set(all.map((issued) => issued.accessKeyId))).toEqual(new Set(['ASIA1']));
  });

  it('answers a refusal again for a minute without asking STS, then asks again', async () => {
    const time = new FakeTime(START);
    const sts = fakeSts(time);
    const reported: unknown[] = [];
    const credentials = cacheCredentials({
      fetch: sts.fetch,
      clock: time.clock,
      onFailure: (error) => reported.push(error),
    });
    const failure = refused();
    sts.failNext(failure);

    await expect(credentials()).rejects.toBe(failure);
    time.advance(MINUTE_MS - 1);
    await expect(credentials()).rejects.toBe(failure);
    time.advance(1);
    const issued = await credentials();

    expect(sts.calls).toBe(2);
    expect(issued.accessKeyId).toBe('ASIA2');
    expect(reported).toEqual([failure]);
  });

  it('does not hold a transient failure: the next call asks STS again', async () => {
    const time = new FakeTime(START);
    const sts = fakeSts(time);
    const credentials = cacheCredentials({ fetch: sts.fetch, clock: time.clock });
    sts.failNext(throttled());

    await expect(credentials()).rejects.toMatchObject({ faultClass: 'transient' });
    const issued = await credentials();

    expect(sts.calls).toBe(2);
    expect(issued.accessKeyId).toBe('ASIA2');
  });

  it('fails every caller of a shared fetch with its error, and the next call fetches anew', async () => {
    const time = new FakeTime(START);
    const sts = fakeSts(time);
    const credentials = cacheCredentials({ fetch: sts.fetch, clock: time.clock });
    const failure = throttled();
    sts.failNext(failure);

    const outcomes = await Promise.allSettled([credentials(), credentials(), credentials()]);
    await credentials();

    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : 'ok'))).toEqual([
      failure,
      failure,
      failure,
    ]);
    expect(sts.calls).toBe(2);
  });

  it('does not keep a fetch that threw before its first await', async () => {
    const time = new FakeTime(START);
    let calls = 0;
    const credentials = cacheCredentials({
      clock: time.clock,
      fetch: () => {
        calls += 1;
        throw throttled();
      },
    });

    await expect(credentials()).rejects.toMatchObject({ stsCode: 'Throttling' });
    await expect(credentials()).rejects.toMatchObject({ stsCode: 'Throttling' });

    expect(calls).toBe(2);
  });
});
