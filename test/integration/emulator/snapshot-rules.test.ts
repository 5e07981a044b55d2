import {
  CreateServerlessCacheSnapshotCommand,
  type CreateServerlessCacheSnapshotCommandInput,
  InvalidParameterValueException,
  InvalidServerlessCacheStateFault,
  ServerlessCacheNotFoundFault,
  ServerlessCacheSnapshotAlreadyExistsFault,
  ServerlessCacheSnapshotQuotaExceededFault,
  TagQuotaPerResourceExceeded,
} from '@aws-sdk/client-elasticache';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Fixture,
  HOUR,
  httpStatusOf,
  MINUTE,
  postForm,
  rejectionOf,
  SIGNED,
  startFixture,
  stopFixture,
} from './emulator-fixture';

describe('CreateServerlessCacheSnapshot rules', () => {
  let fixture: Fixture;

  afterEach(() => stopFixture(fixture));

  async function start(options: Parameters<typeof startFixture>[0] = {}): Promise<void> {
    fixture = await startFixture(options);
    fixture.emulator.seedCache({ name: 'orders' });
    fixture.emulator.seedCache({ name: 'sessions', engine: 'memcached' });
  }

  const create = (
    input: Partial<CreateServerlessCacheSnapshotCommandInput> & { ServerlessCacheSnapshotName: string },
  ) =>
    fixture.client.send(
      new CreateServerlessCacheSnapshotCommand({ ServerlessCacheName: 'orders', ...input }),
    );

  it.each([
    ['an uppercase letter', 'Orders-nightly'],
    ['a leading digit', '1-orders'],
    ['a double hyphen', 'orders--nightly'],
    ['a trailing hyphen', 'orders-'],
    ['an ISO timestamp', 'orders-2025-03-01T00:00:00Z'],
    ['256 characters', `a${'b'.repeat(255)}`],
  ])('refuses a snapshot name with %s as InvalidParameterValue', async (_rule, name) => {
    await start();

    const error = await rejectionOf(create({ ServerlessCacheSnapshotName: name }));

    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(httpStatusOf(error)).toBe(400);
    expect(fixture.emulator.snapshots()).toEqual([]);
  });

  it('accepts a snapshot name of exactly 255 characters', async () => {
    await start();
    const name = `a${'b'.repeat(254)}`;

    const output = await create({ ServerlessCacheSnapshotName: name });

    expect(output.ServerlessCacheSnapshot?.ServerlessCacheSnapshotName).toBe(name);
  });

  it('refuses a name already taken in the account, comparing names lowercase, even on another cache', async () => {
    await start();
    fixture.emulator.seedSnapshot({ name: 'Legacy-Nightly', cacheName: 'sessions' });

    const error = await rejectionOf(create({ ServerlessCacheSnapshotName: 'legacy-nightly' }));

    expect(error).toBeInstanceOf(ServerlessCacheSnapshotAlreadyExistsFault);
    expect(httpStatusOf(error)).toBe(400);
  });

  it('answers AlreadyExists, not a state fault, when the same name is retried while it is still creating', async () => {
    await start();
    await create({ ServerlessCacheSnapshotName: 'orders-slot' });

    const error = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-slot' }));

    expect(error).toBeInstanceOf(ServerlessCacheSnapshotAlreadyExistsFault);
  });

  it('answers ServerlessCacheNotFoundFault with HTTP 404 for an unknown cache', async () => {
    await start();

    const error = await rejectionOf(
      create({ ServerlessCacheSnapshotName: 'ghost-1', ServerlessCacheName: 'ghost' }),
    );

    expect(error).toBeInstanceOf(ServerlessCacheNotFoundFault);
    expect(httpStatusOf(error)).toBe(404);
  });

  it('refuses a snapshot while the cache is not available, and accepts it once it is again', async () => {
    await start();
    fixture.emulator.setCacheStatus('orders', 'modifying');

    const error = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-busy' }));
    fixture.emulator.setCacheStatus('orders', 'available');
    const output = await create({ ServerlessCacheSnapshotName: 'orders-busy' });

    expect(error).toBeInstanceOf(InvalidServerlessCacheStateFault);
    expect(httpStatusOf(error)).toBe(400);
    expect(output.ServerlessCacheSnapshot?.Status).toBe('creating');
  });

  it('allows one snapshot in flight per cache: a second is refused until the first is available', async () => {
    await start();
    await create({ ServerlessCacheSnapshotName: 'orders-first' });

    const refused = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-second' }));
    const otherCache = await create({
      ServerlessCacheSnapshotName: 'sessions-first',
      ServerlessCacheName: 'sessions',
    });
    fixture.clock.advance(5 * MINUTE);
    const accepted = await create({ ServerlessCacheSnapshotName: 'orders-second' });

    expect(refused).toBeInstanceOf(InvalidServerlessCacheStateFault);
    expect(otherCache.ServerlessCacheSnapshot?.ServerlessCacheConfiguration?.Engine).toBe('memcached');
    expect(accepted.ServerlessCacheSnapshot?.ServerlessCacheSnapshotName).toBe('orders-second');
  });

  it('refuses a 25th manual snapshot of one cache within 24 hours and frees the quota as the window rolls', async () => {
    await start({ snapshotCompletionMs: 0 });
    for (let index = 0; index < 24; index += 1) {
      await create({ ServerlessCacheSnapshotName: `orders-${index}` });
      fixture.clock.advance(HOUR);
    }
    fixture.clock.advance(-HOUR);

    const refused = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-24' }));
    const otherCache = await create({
      ServerlessCacheSnapshotName: 'sessions-0',
      ServerlessCacheName: 'sessions',
    });
    fixture.clock.advance(HOUR);
    const accepted = await create({ ServerlessCacheSnapshotName: 'orders-24' });

    expect(refused).toBeInstanceOf(ServerlessCacheSnapshotQuotaExceededFault);
    expect(httpStatusOf(refused)).toBe(400);
    expect(otherCache.ServerlessCacheSnapshot?.Status).toBe('available');
    expect(accepted.ServerlessCacheSnapshot?.ServerlessCacheSnapshotName).toBe('orders-24');
  });

  it('keeps counting deleted and vanished snapshots toward the 24-hour quota, as creations', async () => {
    await start({ snapshotCompletionMs: 0, perCacheDailyLimit: 2 });
    await create({ ServerlessCacheSnapshotName: 'orders-a' });
    await create({ ServerlessCacheSnapshotName: 'orders-b' });
    fixture.emulator.removeSnapshot('orders-a');

    const refused = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-c' }));

    expect(refused).toBeInstanceOf(ServerlessCacheSnapshotQuotaExceededFault);
  });

  it('counts seeded manual snapshots of the last 24 hours toward the per-cache quota', async () => {
    await start({ perCacheDailyLimit: 1 });
    fixture.emulator.seedSnapshot({ name: 'by-hand', cacheName: 'orders' });

    const refused = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-a' }));

    expect(refused).toBeInstanceOf(ServerlessCacheSnapshotQuotaExceededFault);
  });

  it('refuses a manual snapshot past the account-wide limit; automated snapshots do not count', async () => {
    await start({ accountSnapshotLimit: 2 });
    fixture.emulator.seedSnapshot({ name: 'old-1', cacheName: 'sessions', createTime: new Date(0) });
    fixture.emulator.seedSnapshot({ name: 'auto-1', cacheName: 'orders', snapshotType: 'automated' });
    await create({ ServerlessCacheSnapshotName: 'orders-a' });
    fixture.clock.advance(HOUR);

    const refused = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-b' }));

    expect(refused).toBeInstanceOf(ServerlessCacheSnapshotQuotaExceededFault);
    expect(httpStatusOf(refused)).toBe(400);
  });

  it('refuses more than 50 tags as TagQuotaPerResourceExceeded and accepts exactly 50', async () => {
    await start();
    const tags = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));

    const refused = await rejectionOf(create({ ServerlessCacheSnapshotName: 'orders-many', Tags: tags(51) }));
    const accepted = await create({ ServerlessCacheSnapshotName: 'orders-many', Tags: tags(50) });

    expect(refused).toBeInstanceOf(TagQuotaPerResourceExceeded);
    expect(httpStatusOf(refused)).toBe(400);
    expect(accepted.ServerlessCacheSnapshot?.ServerlessCacheSnapshotName).toBe('orders-many');
    expect(Object.keys(fixture.emulator.snapshots()[0]?.tags ?? {})).toHaveLength(50);
  });

  it('refuses a tag key starting with aws: as InvalidParameterValue', async () => {
    await start();

    const error = await rejectionOf(
      create({ ServerlessCacheSnapshotName: 'orders-tagged', Tags: [{ Key: 'aws:createdBy', Value: 'me' }] }),
    );

    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(fixture.emulator.snapshots()).toEqual([]);
  });

  it('answers MissingParameter when the cache name is absent', async () => {
    await start();

    const { response, xml } = await postForm(
      fixture.emulator.endpoint,
      { Action: 'CreateServerlessCacheSnapshot', ServerlessCacheSnapshotName: 'orders-a' },
      SIGNED,
    );

    expect(response.status).toBe(400);
    expect(xml).toContain('<Code>MissingParameter</Code>');
    expect(xml).toContain('ServerlessCacheName');
  });
});
