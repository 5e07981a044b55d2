import { describe, expect, it } from 'vitest';
import { waitUntilAvailable } from '#cli/commands/restore';
import type { CacheInfo } from '#lib/snapshots/snapshot-gateway';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';

/** The wait loop on a fake gateway and a fake clock: each sleep moves time and, when scripted, the cache. */
function harness(steps: ((gateway: FakeSnapshotGateway) => void)[]) {
  const gateway = new FakeSnapshotGateway();
  gateway.addCache('copy', { status: 'creating' });
  let now = 0;
  const seen: string[] = [];
  const sleep = async (ms: number) => {
    now += ms;
    steps.shift()?.(gateway);
  };
  const wait = (timeoutMs = 60_000) =>
    waitUntilAvailable(
      { snapshots: gateway },
      'copy',
      { pollMs: 10_000, timeoutMs, report: (cache: CacheInfo, at) => seen.push(`${at}:${cache.status}`) },
      sleep,
      () => now,
    );
  return { wait, seen };
}

describe('waitUntilAvailable', () => {
  it('polls until the cache is available, reporting each look', async () => {
    const { wait, seen } = harness([() => {}, (gateway) => gateway.setCacheStatus('copy', 'available')]);

    const cache = await wait();

    expect(cache.status).toBe('available');
    expect(seen).toEqual(['0:creating', '10000:creating', '20000:available']);
  });

  it('fails when the cache ends create-failed', async () => {
    const { wait } = harness([(gateway) => gateway.setCacheStatus('copy', 'create-failed')]);

    await expect(wait()).rejects.toThrow('the restore failed: cache copy is create-failed');
  });

  it('fails when the cache disappears while being created', async () => {
    const { wait } = harness([(gateway) => gateway.removeCache('copy')]);

    await expect(wait()).rejects.toThrow('cache copy disappeared while being created');
  });

  it('fails once the timeout has passed, naming the status it was left in', async () => {
    const { wait, seen } = harness([]);

    await expect(wait(20_000)).rejects.toThrow(
      'cache copy is still creating after 20s; it was left as it is',
    );
    expect(seen).toEqual(['0:creating', '10000:creating', '20000:creating']);
  });
});
