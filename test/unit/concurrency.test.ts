import { describe, expect, it } from 'vitest';
import { runBounded } from '#lib/concurrency';

/** A promise the test resolves by hand, to hold work in flight. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('runBounded', () => {
  it('never has more than `limit` items in flight', async () => {
    let inFlight = 0;
    let most = 0;

    await runBounded([1, 2, 3, 4, 5, 6, 7], 3, async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await settle();
      inFlight -= 1;
    });

    expect(most).toBe(3);
  });

  it('starts items in the order given', async () => {
    const started: number[] = [];

    await runBounded([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await settle();
    });

    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts the next item as soon as one lane is free, not when the whole batch ends', async () => {
    const gates = new Map([1, 2, 3].map((item) => [item, gate()]));
    const started: number[] = [];
    const done = runBounded([1, 2, 3], 2, async (item) => {
      started.push(item);
      await gates.get(item)?.opened;
    });

    await settle();
    expect(started).toEqual([1, 2]);
    gates.get(1)?.open();
    await settle();
    expect(started).toEqual([1, 2, 3]);
    gates.get(2)?.open();
    gates.get(3)?.open();
    await done;
  });

  it('stops starting once shouldStart says no and returns the unstarted items in order', async () => {
    const started: string[] = [];

    const { notStarted } = await runBounded(
      ['a', 'b', 'c', 'd', 'e'],
      2,
      async (item) => {
        started.push(item);
      },
      () => started.length < 2,
    );

    expect(started).toEqual(['a', 'b']);
    expect(notStarted).toEqual(['c', 'd', 'e']);
  });

  it('returns every item as unstarted when shouldStart says no from the start', async () => {
    const started: number[] = [];

    const { notStarted } = await runBounded(
      [1, 2, 3],
      4,
      async (item) => {
        started.push(item);
      },
      () => false,
    );

    expect(started).toEqual([]);
    expect(notStarted).toEqual([1, 2, 3]);
  });

  it('returns nothing unstarted when all items ran, and copes with no items at all', async () => {
    const started: number[] = [];

    const all = await runBounded([1, 2], 8, async (item) => {
      started.push(item);
    });
    const none = await runBounded([], 3, async () => undefined);

    expect(started).toEqual([1, 2]);
    expect(all.notStarted).toEqual([]);
    expect(none.notStarted).toEqual([]);
  });
});
