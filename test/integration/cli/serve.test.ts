import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { type CacheControls, runCacheCommand } from '#local/demo/cache-commands';
import { serve, serviceRateMs } from '#local/demo/serve';
import { startEmulator } from '#local/emulator/index';

const POLL_MS = 200;
const RECONCILE_MS = 1_500;
const WAIT = { timeout: 20_000, interval: 100 };

describe('npm start -- --serve', () => {
  const lines: string[] = [];
  const input = new PassThrough();
  const stop = new AbortController();
  let served: Promise<void>;

  /** Types a command into serve and returns the lines it answered with. */
  async function type(command: string): Promise<string[]> {
    const before = lines.length;
    input.write(`${command}\n`);
    await vi.waitFor(() => expect(lines.length).toBeGreaterThan(before), WAIT);
    return lines.slice(before);
  }

  /** The policy item as stored, read with the item client the stack's environment points at. */
  async function storedPolicy(policyId: string): Promise<Record<string, unknown> | undefined> {
    const documents = createItemClient();
    const Item = await documents.get({ TableName: process.env.POLICIES_TABLE, Key: { policyId } });
    documents.destroy();
    return Item;
  }

  async function writeStraightIntoTable(item: Record<string, unknown>): Promise<void> {
    const documents = createItemClient();
    await documents.put({ TableName: process.env.POLICIES_TABLE, Item: item });
    documents.destroy();
  }

  beforeAll(async () => {
    served = serve({
      log: (line) => lines.push(line),
      input,
      signal: stop.signal,
      pollMs: POLL_MS,
      reconcileMs: RECONCILE_MS,
    });
    await vi.waitFor(() => expect(lines.join('\n')).toContain('Ctrl-C stops the stack'), WAIT);
  }, 30_000);
  afterAll(async () => {
    stop.abort();
    await served;
  });

  it('prints how to reach it, its schedules and the cache commands', () => {
    const text = lines.join('\n');

    expect(text).toMatch(/^export AWS_ENDPOINT_URL_DYNAMODB=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(serviceRateMs('schedulerRate')).toBe(60_000);
    expect(text).toContain('a scheduler tick every 1 min, reconcile every 1.5 s');
    expect(text).toContain('synced within 0.2 s');
    expect(text).toMatch(/^ {2}cache add <name> \[--engine valkey\|redis\|memcached\] \[key=value \.\.\.\]/m);
    expect(text).toMatch(/^ {2}cache remove <name>/m);
  });

  it('syncs a policy written straight into the table, as the stream would', async () => {
    await writeStraightIntoTable({ policyId: 'orders-direct', cacheName: 'orders', schedule: 'rate(1 day)' });

    await vi.waitFor(async () => expect((await storedPolicy('orders-direct'))?.state).toBe('ACTIVE'), WAIT);
    expect(lines).toContainEqual(
      expect.stringMatching(/^policy orders-direct synced: ACTIVE, next run \S+Z$/),
    );
  });

  it('adds a cache with tags from stdin, and reconcile activates the policy that waited for it', async () => {
    await writeStraightIntoTable({
      policyId: 'reports-daily',
      cacheName: 'reports',
      schedule: 'rate(1 day)',
    });
    await vi.waitFor(async () => expect((await storedPolicy('reports-daily'))?.state).toBe('INVALID'), WAIT);

    const added = await type('cache add reports --engine redis team=data tier=gold');

    expect(added).toEqual(['cache reports (redis) added, tags {"team":"data","tier":"gold"}']);
    await vi.waitFor(async () => expect((await storedPolicy('reports-daily'))?.state).toBe('ACTIVE'), WAIT);
    // The pass goes on after the policy is synced (the fleet, the snapshot check): its line comes at its end.
    await vi.waitFor(
      () =>
        expect(lines).toContainEqual(
          expect.stringMatching(/^reconcile: \d+ policies, \d+ synced again, 0 failed$/),
        ),
      WAIT,
    );
    expect(await type('cache list')).toContainEqual(
      'reports  redis  available  {"team":"data","tier":"gold"}',
    );
  });

  it('removes a cache from stdin: it is no longer available', async () => {
    await type('cache add scratch');

    await type('cache remove scratch');
    const listed = await type('cache list');

    expect(listed.filter((line) => line.startsWith('scratch  ') && line.includes(' available '))).toEqual([]);
  });

  it('answers a line it does not understand with the commands it knows', async () => {
    const answer = await type('cache add Bad_Name');
    const unknown = await type('snapshot now');

    expect(answer).toEqual([
      'error: "Bad_Name" is not a serverless cache name (lowercase letters, digits, hyphens)',
    ]);
    expect(unknown[0]).toBe('error: unknown command "snapshot now"');
    expect(unknown).toContainEqual(expect.stringMatching(/^ {2}cache list/));
  });
});

describe('cache remove', () => {
  async function withEmulator(run: (controls: CacheControls) => void): Promise<void> {
    const emulator = await startEmulator();
    try {
      emulator.seedCache({ name: 'orders' });
      run({
        seedCache: (cache) => emulator.seedCache(cache),
        setCacheStatus: (name, status) => emulator.setCacheStatus(name, status),
        caches: () => emulator.caches(),
      });
    } finally {
      await emulator.stop();
    }
  }

  it('marks the cache deleting where the emulator cannot drop one', async () => {
    await withEmulator((controls) => {
      const answer = runCacheCommand(controls, 'cache remove orders');

      expect(answer).toEqual([
        'cache orders is deleting (this emulator cannot drop a cache yet: it stays listed as deleting)',
      ]);
      expect(controls.caches().map((cache) => [cache.name, cache.status])).toEqual([['orders', 'deleting']]);
    });
  });

  it('drops the cache where the emulator can', async () => {
    await withEmulator((controls) => {
      const removeCache = vi.fn();

      const answer = runCacheCommand({ ...controls, removeCache }, 'cache remove orders');

      expect(answer).toEqual(['cache orders removed (its snapshots stay)']);
      expect(removeCache).toHaveBeenCalledWith('orders');
    });
  });

  it('refuses a cache that does not exist', async () => {
    await withEmulator((controls) => {
      expect(runCacheCommand(controls, 'cache remove billing')).toEqual(['error: no cache named billing']);
    });
  });
});
