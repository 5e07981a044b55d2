import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { EventBusError } from '#lib/errors';
import { logger, METRIC, metrics } from '#lib/observability';
import { DETAIL_TYPE, EVENT_SOURCE, type StateEvent } from '#lib/state-events/event-bus';
import { EventPublisher, PUBLISH_TIMEOUT, type PublisherOptions } from '#lib/state-events/publisher';
import { FakeEventBus } from '#test/support/fake-event-bus';

const AT = new Date('2026-03-23T10:00:00.000Z');

function event(n: number, detail: Record<string, unknown> = {}): StateEvent {
  return {
    detailType: DETAIL_TYPE.run,
    detail: { policyId: `p-${n}`, status: 'REQUESTED', ...detail },
    time: AT,
  };
}

/** A flush bound the test ends by hand (`expire`), recording what each flush asked for. */
class ManualTimeout {
  readonly asked: number[] = [];
  private readonly pending: (() => void)[] = [];
  readonly timeout = (ms: number, signal: AbortSignal) => {
    this.asked.push(ms);
    return new Promise<void>((resolve, reject) => {
      this.pending.push(resolve);
      signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    });
  };
  expire(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }
}

let bus: FakeEventBus;
let bound: ManualTimeout;
let sleeps: number[];
let errors: MockInstance;
let counted: MockInstance;

function publisherWith(options: Partial<PublisherOptions> = {}): EventPublisher {
  return new EventPublisher({
    bus,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    timeout: bound.timeout,
    ...options,
  });
}

/** Lets the background sends of full batches start and finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function notPublishedCounted(): number {
  return counted.mock.calls
    .filter(([name]) => name === METRIC.EventsNotPublished)
    .reduce((sum, [, , value]) => sum + Number(value), 0);
}

beforeEach(() => {
  bus = new FakeEventBus();
  bound = new ManualTimeout();
  sleeps = [];
  errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  counted = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EventPublisher', () => {
  it('never calls the bus when nothing was published', async () => {
    const report = await publisherWith().flush(60_000);

    expect(report).toEqual({ published: 0, notPublished: 0 });
    expect(bus.puts).toEqual([]);
    expect(bound.asked).toEqual([]);
  });

  it("puts each event with the orchestrator's source, its detail-type, its detail as JSON and its time", async () => {
    const publisher = publisherWith();
    publisher.publish(event(1, { attempts: 2, error: null }));
    await publisher.flush(60_000);

    expect(bus.entries()).toEqual([
      {
        source: EVENT_SOURCE,
        detailType: 'Snapshot Run State Change',
        detail: '{"policyId":"p-1","status":"REQUESTED","attempts":2,"error":null}',
        time: AT,
      },
    ]);
  });

  it('sends a batch as soon as it holds 10 events, and the rest at the flush', async () => {
    const publisher = publisherWith();
    for (let n = 0; n < 13; n += 1) publisher.publish(event(n));
    await settle();

    expect(bus.puts.map((put) => put.entries.length)).toEqual([10]);

    const report = await publisher.flush(60_000);

    expect(bus.puts.map((put) => put.entries.length)).toEqual([10, 3]);
    expect(report).toEqual({ published: 13, notPublished: 0 });
  });

  it('starts a new batch before the entries of one would pass 256 KB', async () => {
    const publisher = publisherWith();
    const large = 'x'.repeat(100 * 1024);
    for (let n = 0; n < 3; n += 1) publisher.publish(event(n, { large }));
    await publisher.flush(60_000);

    expect(bus.puts.map((put) => put.entries.length)).toEqual([2, 1]);
  });

  it('counts an event larger than PutEvents takes as not published, without sending it', async () => {
    const publisher = publisherWith();
    publisher.publish(event(1, { large: 'x'.repeat(257 * 1024) }));
    publisher.publish(event(2));
    const report = await publisher.flush(60_000);

    expect(report).toEqual({ published: 1, notPublished: 1 });
    expect(bus.entries()).toHaveLength(1);
    expect(errors).toHaveBeenCalledWith(
      'events not published',
      expect.objectContaining({ count: 1, errorCode: 'EntryTooLarge' }),
    );
    expect(notPublishedCounted()).toBe(1);
  });

  it('puts again only the entries refused as transient, and counts those refused for good', async () => {
    bus.answer([
      { ok: true },
      { ok: false, code: 'ThrottlingException', message: 'slow down', faultClass: 'transient' },
      { ok: false, code: 'MalformedDetail', message: 'Detail is malformed.', faultClass: 'terminal' },
    ]);
    const publisher = publisherWith();
    for (let n = 0; n < 3; n += 1) publisher.publish(event(n));
    const report = await publisher.flush(60_000);

    expect(bus.puts.map((put) => put.entries.map((entry) => JSON.parse(entry.detail).policyId))).toEqual([
      ['p-0', 'p-1', 'p-2'],
      ['p-1'],
    ]);
    expect(report).toEqual({ published: 2, notPublished: 1 });
    expect(errors).toHaveBeenCalledWith('events not published', {
      count: 1,
      errorCode: 'MalformedDetail',
      errorMessage: 'Detail is malformed.',
      events: [{ detailType: DETAIL_TYPE.run, policyId: 'p-2', status: 'REQUESTED' }],
    });
    expect(sleeps).toEqual([50]);
  });

  it('tries a call that keeps failing transiently 3 times, then logs and counts its events', async () => {
    const outage = new EventBusError('InternalException', 'transient', 'Internal service error.');
    bus.answer(outage, outage, outage);
    const publisher = publisherWith();
    publisher.publish(event(1));
    publisher.publish(event(2));
    const report = await publisher.flush(60_000);

    expect(bus.puts).toHaveLength(3);
    expect(report).toEqual({ published: 0, notPublished: 2 });
    expect(notPublishedCounted()).toBe(2);
    expect(errors).toHaveBeenCalledWith(
      'events not published',
      expect.objectContaining({ count: 2, errorCode: 'InternalException' }),
    );
  });

  it('does not put again what the bus refused for good', async () => {
    bus.answer(new EventBusError('AccessDeniedException', 'terminal', 'not authorized'));
    const publisher = publisherWith();
    publisher.publish(event(1));
    const report = await publisher.flush(60_000);

    expect(bus.puts).toHaveLength(1);
    expect(report).toEqual({ published: 0, notPublished: 1 });
  });

  it('keeps at most 4 calls in flight', async () => {
    bus.answer('hang', 'hang', 'hang', 'hang');
    const publisher = publisherWith();
    for (let n = 0; n < 60; n += 1) publisher.publish(event(n));
    await settle();

    expect(bus.puts).toHaveLength(4);

    bus.release();
    const report = await publisher.flush(60_000);

    expect(bus.puts).toHaveLength(6);
    expect(report).toEqual({ published: 60, notPublished: 0 });
  });

  it('waits at most 2 s, and never into the last second the invocation has', async () => {
    for (const remainingMs of [60_000, 1_800, 500]) {
      const publisher = publisherWith();
      publisher.publish(event(1));
      await publisher.flush(remainingMs);
    }

    expect(bound.asked).toEqual([2_000, 800, 0]);
  });

  it('gives up at the bound: abandons the calls in flight and counts every event not out', async () => {
    bus.answer('hang', 'hang', 'hang', 'hang');
    const publisher = publisherWith();
    for (let n = 0; n < 55; n += 1) publisher.publish(event(n));
    const flushed = publisher.flush(60_000);
    await settle();
    bound.expire();
    const report = await flushed;

    expect(report).toEqual({ published: 0, notPublished: 55 });
    expect(bus.puts).toHaveLength(4);
    expect(bus.puts.every((put) => put.signal.aborted)).toBe(true);
    expect(notPublishedCounted()).toBe(55);
    expect(errors).toHaveBeenCalledWith(
      'events not published',
      expect.objectContaining({ errorCode: PUBLISH_TIMEOUT }),
    );
  });

  it('publishes again after a flush that gave up', async () => {
    bus.answer('hang');
    const publisher = publisherWith();
    publisher.publish(event(1));
    const flushed = publisher.flush(60_000);
    await settle();
    bound.expire();
    await flushed;
    publisher.publish(event(2));
    const report = await publisher.flush(60_000);

    expect(report).toEqual({ published: 1, notPublished: 0 });
    expect(bus.puts[1]?.signal.aborted).toBe(false);
  });
});
