import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createElastiCacheClient,
  ElastiCacheSnapshotGateway,
} from '#lib/adapters/elasticache/snapshot-gateway';
import { AdaptiveLimit } from '#lib/adaptive-limit';
import { type Emulator, startEmulator } from '#local/emulator/index';
import { WallSleep } from '#local/emulator/server/wall-sleep';
import { noDelayRetries } from '#local/no-delay-retries';

/**
 * The adaptive limit wired into the real SDK client: it must see every attempt, the SDK's own retries
 * included, because a throttle the SDK retries away never reaches the caller.
 */
describe('ElastiCache client under an adaptive limit', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
    for (const name of ['orders', 'carts', 'users']) emulator.seedCache({ name });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const request = (cacheName: string) => ({
    snapshotName: `${cacheName}-20300101-0000-abc`,
    cacheName,
    kmsKeyId: undefined,
    tags: {},
  });

  it('learns of throttled attempts that the SDK retried away', async () => {
    const limit = new AdaptiveLimit({ maxInFlight: 4, pause: { baseMs: 1, maxMs: 1 } });
    const gateway = new ElastiCacheSnapshotGateway(
      createElastiCacheClient({ endpoint: emulator.endpoint, retryStrategy: noDelayRetries() }, limit),
    );
    emulator.resetCalls();
    emulator.scriptFaults('CreateServerlessCacheSnapshot', [{ kind: 'throttling' }, { kind: 'throttling' }]);

    const snapshot = await gateway.createSnapshot(request('orders'));

    expect(snapshot.status).toBe('creating');
    expect(emulator.calls.map((call) => call.outcome)).toEqual(['Throttling', 'Throttling', 'ok']);
    expect(limit.callsPerSecond).toBeDefined();
    expect(limit.inFlight).toBe(0);
  });

  it('holds calls to the in-flight limit: the second reaches the service only once the first is answered', async () => {
    const limit = new AdaptiveLimit({ maxInFlight: 1 });
    const gateway = new ElastiCacheSnapshotGateway(
      createElastiCacheClient({ endpoint: emulator.endpoint }, limit),
    );
    emulator.resetCalls();
    emulator.setLatency({ minMs: 100, maxMs: 100 });
    // How many calls the emulator had answered when each call began its latency wait.
    const answeredBefore: number[] = [];
    const original = WallSleep.prototype.sleep;
    vi.spyOn(WallSleep.prototype, 'sleep').mockImplementation(function (this: WallSleep, ms: number) {
      answeredBefore.push(emulator.calls.length);
      return original.call(this, ms);
    });

    await Promise.all(['carts', 'users'].map((cache) => gateway.getCache(cache)));

    emulator.setLatency(undefined);
    expect(answeredBefore).toEqual([0, 1]);
  });
});
