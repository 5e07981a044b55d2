import {
  CreateServerlessCacheSnapshotCommand,
  DescribeServerlessCachesCommand,
  ElastiCacheServiceException,
  InvalidServerlessCacheStateFault,
  paginateDescribeServerlessCacheSnapshots,
  ServerlessCacheSnapshotAlreadyExistsFault,
  ServiceLinkedRoleNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FaultKind } from '#local/emulator/index';
import { WallSleep } from '#local/emulator/server/wall-sleep';
import {
  clientFor,
  type Fixture,
  httpStatusOf,
  rejectionOf,
  START,
  startFixture,
  stopFixture,
} from './emulator-fixture';

describe('injected faults, latency, rate limit and the call log', () => {
  let fixture: Fixture;

  beforeEach(async () => {
    fixture = await startFixture();
    fixture.emulator.seedCache({ name: 'orders' });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await stopFixture(fixture);
  });

  /** The emulator's latency waits, held until the test releases them; `requested` lists each wait's ms. */
  const holdLatencyWaits = () => {
    const requested: number[] = [];
    const held: (() => void)[] = [];
    vi.spyOn(WallSleep.prototype, 'sleep').mockImplementation((ms) => {
      requested.push(ms);
      return new Promise<void>((resolve) => held.push(resolve));
    });
    const releaseAll = () => {
      for (const release of held.splice(0)) release();
    };
    return { requested, releaseAll };
  };

  const describeCaches = () => fixture.client.send(new DescribeServerlessCachesCommand({}));
  const createSnapshot = (name: string) =>
    fixture.client.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: name,
        ServerlessCacheName: 'orders',
      }),
    );

  it('answers scripted faults one per call, in order, then answers normally', async () => {
    fixture.emulator.scriptFaults('DescribeServerlessCaches', [
      { kind: 'throttling' },
      { kind: 'http500' },
      { kind: 'fault', code: 'ServiceLinkedRoleNotFoundFault', message: 'no role' },
    ]);

    const throttled = await rejectionOf(describeCaches());
    const failed = await rejectionOf(describeCaches());
    const noRole = await rejectionOf(describeCaches());
    const ok = await describeCaches();

    expect(throttled).toBeInstanceOf(ElastiCacheServiceException);
    expect(throttled).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
    expect(httpStatusOf(throttled)).toBe(400);
    expect(failed).toMatchObject({ name: 'InternalFailure' });
    expect(httpStatusOf(failed)).toBe(500);
    expect(noRole).toBeInstanceOf(ServiceLinkedRoleNotFoundFault);
    expect(noRole).toMatchObject({ message: 'no role' });
    expect(ok.ServerlessCaches).toHaveLength(1);
    expect(fixture.emulator.pendingFaults('DescribeServerlessCaches')).toBe(0);
  });

  it('scripts faults per action, leaving other actions untouched', async () => {
    fixture.emulator.scriptFaults('CreateServerlessCacheSnapshot', [{ kind: 'throttling' }]);

    const describeOutput = await describeCaches();
    const createError = await rejectionOf(createSnapshot('orders-a'));

    expect(describeOutput.ServerlessCaches).toHaveLength(1);
    expect(createError).toMatchObject({ name: 'Throttling' });
    expect(fixture.emulator.snapshots()).toEqual([]);
  });

  it('lets the SDK retry a throttled call on its own and succeed on the second attempt', async () => {
    fixture.emulator.scriptFaults('DescribeServerlessCaches', [{ kind: 'throttling' }]);
    const retrying = clientFor(fixture.emulator.endpoint, 3);

    const output = await retrying.send(new DescribeServerlessCachesCommand({}));
    retrying.destroy();

    expect(output.$metadata.attempts).toBe(2);
    expect(fixture.emulator.calls.map((call) => call.outcome)).toEqual(['Throttling', 'ok']);
  });

  it('drops the connection without an answer, so the SDK sees a network error and nothing is created', async () => {
    fixture.emulator.scriptFaults('CreateServerlessCacheSnapshot', [{ kind: 'drop' }]);

    const error = await rejectionOf(createSnapshot('orders-a'));

    expect(error).not.toBeInstanceOf(ElastiCacheServiceException);
    expect(httpStatusOf(error)).toBeUndefined();
    expect(fixture.emulator.snapshots()).toEqual([]);
    expect(fixture.emulator.calls.map((call) => call.outcome)).toEqual(['drop']);
  });

  it('can drop the connection after the call took effect, so a retry finds the snapshot already there', async () => {
    fixture.emulator.scriptFaults('CreateServerlessCacheSnapshot', [{ kind: 'drop', afterEffect: true }]);

    const lost = await rejectionOf(createSnapshot('orders-a'));
    const retried = await rejectionOf(createSnapshot('orders-a'));

    expect(lost).not.toBeInstanceOf(ElastiCacheServiceException);
    expect(retried).toBeInstanceOf(ServerlessCacheSnapshotAlreadyExistsFault);
    expect(fixture.emulator.snapshots().map((snapshot) => snapshot.name)).toEqual(['orders-a']);
  });

  it('holds a call for a scripted latency spike and then answers it normally', async () => {
    const waits = holdLatencyWaits();
    fixture.emulator.scriptFaults('DescribeServerlessCaches', [{ kind: 'latency', ms: 120 }]);
    let answered = false;

    const call = describeCaches().then((output) => {
      answered = true;
      return output;
    });
    await vi.waitFor(() => expect(waits.requested).toEqual([120]));
    const answeredDuringSpike = answered;
    waits.releaseAll();

    expect(answeredDuringSpike).toBe(false);
    expect((await call).ServerlessCaches).toHaveLength(1);
  });

  it('adds the configured latency to every call until it is lifted', async () => {
    const waits = vi.spyOn(WallSleep.prototype, 'sleep').mockResolvedValue(undefined);
    fixture.emulator.setLatency({ minMs: 60, maxMs: 80 });

    await Promise.all([describeCaches(), describeCaches()]);
    fixture.emulator.setLatency(undefined);
    await describeCaches();

    const delays = waits.mock.calls.map(([ms]) => ms);
    expect(delays).toHaveLength(2);
    for (const ms of delays) {
      expect(ms).toBeGreaterThanOrEqual(60);
      expect(ms).toBeLessThanOrEqual(80);
    }
    expect(fixture.emulator.calls).toHaveLength(3);
  });

  it('repeats the same random faults for the same seed, and differs for another seed', async () => {
    const kinds: FaultKind[] = ['throttling', 'http500', 'busy'];
    const outcomesFor = async (seed: number) => {
      fixture.emulator.setRandomFaults({ rate: 0.5, seed, kinds });
      const outcomes: string[] = [];
      for (let index = 0; index < 30; index += 1) {
        const error = await describeCaches().then(
          () => undefined,
          (failure: unknown) => failure,
        );
        outcomes.push(error instanceof Error ? error.name : 'ok');
      }
      return outcomes;
    };

    const first = await outcomesFor(7);
    const again = await outcomesFor(7);
    const other = await outcomesFor(8);

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(
      new Set(['ok', 'Throttling', 'InternalFailure', 'InvalidServerlessCacheStateFault']),
    );
  });

  it('limits random faults to the actions named', async () => {
    fixture.emulator.setRandomFaults({
      rate: 1,
      seed: 1,
      kinds: ['busy'],
      actions: ['CreateServerlessCacheSnapshot'],
    });

    const describeOutput = await describeCaches();
    const createError = await rejectionOf(createSnapshot('orders-a'));

    expect(describeOutput.ServerlessCaches).toHaveLength(1);
    expect(createError).toBeInstanceOf(InvalidServerlessCacheStateFault);
  });

  it('answers Throttling past the rate limit within one second of wall time', async () => {
    fixture.emulator.setRateLimit(5);

    const results = await Promise.allSettled(Array.from({ length: 12 }, () => describeCaches()));
    const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    expect(rejected).toHaveLength(7);
    for (const error of rejected)
      expect(error).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
  });

  it('logs every call with its action, parsed parameters, clock time and outcome', async () => {
    fixture.emulator.scriptFaults('CreateServerlessCacheSnapshot', [{ kind: 'throttling' }]);
    await rejectionOf(createSnapshot('orders-a'));
    fixture.clock.advance(1000);
    await fixture.client.send(
      new CreateServerlessCacheSnapshotCommand({
        ServerlessCacheSnapshotName: 'orders-a',
        ServerlessCacheName: 'orders',
        Tags: [
          { Key: 'policy', Value: 'p1' },
          { Key: 'slot', Value: '2025-03-01T00:00:00.000Z' },
        ],
      }),
    );

    expect(fixture.emulator.calls).toEqual([
      expect.objectContaining({
        action: 'CreateServerlessCacheSnapshot',
        at: START,
        outcome: 'Throttling',
        httpStatus: 400,
      }),
      expect.objectContaining({
        action: 'CreateServerlessCacheSnapshot',
        params: {
          ServerlessCacheSnapshotName: 'orders-a',
          ServerlessCacheName: 'orders',
          Tags: { policy: 'p1', slot: '2025-03-01T00:00:00.000Z' },
        },
        at: new Date(START.getTime() + 1000),
        outcome: 'ok',
        httpStatus: 200,
      }),
    ]);
    fixture.emulator.resetCalls();
    expect(fixture.emulator.calls).toEqual([]);
  });

  it('serves hundreds of concurrent calls and pages through thousands of snapshots', async () => {
    for (let index = 0; index < 3000; index += 1) {
      fixture.emulator.seedSnapshot({
        name: `bulk-${index}`,
        cacheName: 'orders',
        snapshotType: 'automated',
      });
    }
    for (let index = 0; index < 300; index += 1) fixture.emulator.seedCache({ name: `cache-${index}` });

    const created = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        fixture.client.send(
          new CreateServerlessCacheSnapshotCommand({
            ServerlessCacheSnapshotName: `cache-${index}-snap`,
            ServerlessCacheName: `cache-${index}`,
          }),
        ),
      ),
    );

    let paged = 0;
    for await (const page of paginateDescribeServerlessCacheSnapshots(
      { client: fixture.client },
      { ServerlessCacheName: 'orders' },
    )) {
      paged += page.ServerlessCacheSnapshots?.length ?? 0;
    }

    expect(created.every((output) => output.ServerlessCacheSnapshot?.Status === 'creating')).toBe(true);
    expect(fixture.emulator.snapshots()).toHaveLength(3300);
    expect(paged).toBe(3000);
  });

  it('ends pending latency at once when it stops (a ten-minute spike would outlast the test)', async () => {
    fixture.emulator.scriptFaults('DescribeServerlessCaches', [{ kind: 'latency', ms: 10 * 60_000 }]);
    const pending = rejectionOf(describeCaches());
    await vi.waitFor(() => expect(fixture.emulator.pendingFaults('DescribeServerlessCaches')).toBe(0));

    await fixture.emulator.stop();

    expect(await pending).toBeInstanceOf(Error);
  });
});
