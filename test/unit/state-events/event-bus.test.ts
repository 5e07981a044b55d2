import { describe, expect, it } from 'vitest';
import { entrySize, lazyEventBus } from '#lib/state-events/event-bus';
import { FakeEventBus } from '#test/support/fake-event-bus';

const ENTRY = { source: 'src', detailType: 'dt', detail: '{"é":1}', time: new Date(0) };

describe('the event bus port', () => {
  it('sizes an entry as PutEvents does: UTF-8 bytes of source, detail-type and detail, plus 14 for the time', () => {
    expect(entrySize(ENTRY)).toBe(14 + 3 + 2 + 8);
  });

  it('loads a lazy bus on its first put only, and once', async () => {
    let loads = 0;
    const real = new FakeEventBus();
    const bus = lazyEventBus(async () => {
      loads += 1;
      return real;
    });

    expect(loads).toBe(0);

    await Promise.all([
      bus.put([ENTRY], new AbortController().signal),
      bus.put([ENTRY], new AbortController().signal),
    ]);

    expect(loads).toBe(1);
    expect(real.entries()).toEqual([ENTRY, ENTRY]);
  });
});
