/**
 * Runs `work` over `items` with at most `limit` in flight, in order of `items`. `shouldStart` is asked
 * before each item starts (e.g. "is there time left before the deadline?"); once it says no, nothing more
 * starts and the unstarted items are returned so the caller can leave them durable.
 * `work` must not throw: each item's failure is the caller's outcome to record.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  shouldStart: () => boolean = () => true,
): Promise<{ notStarted: T[] }> {
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      if (!shouldStart()) {
        stopped = true;
        return;
      }
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return { notStarted: items.slice(next) };
}
