import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '#lib/errors';
import { logger } from '#lib/observability';
import { previousStatusOf, runChangeEvent, runEventSink } from '#lib/runs/run-events';
import { saveNewRun, saveRun } from '#lib/runs/save-run';
import { missedRun, reclaimed, requested, retrying } from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import { runTick } from '#lib/scheduler/tick';
import type { SnapshotInfo } from '#lib/snapshots/snapshot-gateway';
import type { StateEvent } from '#lib/state-events/event-bus';
import { HOME } from '#test/support/fake-placements';
import { serviceFault } from '#test/support/fake-snapshot-gateway';
import { policyItem, policyOf, putActivePolicy } from '#test/support/policy-builders';
import { claimedRunOf } from '#test/support/run-builders';
import { SchedulerHarness } from '#test/support/scheduler-harness';

const SLOT = '2025-03-01T10:00:00.000Z';
const ORIGIN = { account: '123456789012', region: 'eu-west-1' };
const POLICY = policyOf(policyItem('orders-hourly'));
const BUSY = { code: 'InvalidServerlessCacheStateFault', message: 'the cache is busy' };
const SNAPSHOT: SnapshotInfo = {
  name: 'orders-20250301-1000-abcd1234',
  arn: 'arn:aws:elasticache:eu-west-1:123456789012:serverlesscachesnapshot:orders-20250301-1000-abcd1234',
  cacheName: 'orders',
  status: 'creating',
  snapshotType: 'manual',
  createTime: new Date(SLOT),
  bytesUsedForCache: undefined,
  kmsKeyId: undefined,
};

const at = (iso: string) => new Date(iso);
const HOME_PLACEMENT = { account: HOME.account, region: HOME.region };
const fresh = () => claimedRunOf(POLICY, SLOT, 'tick-a', SLOT);

/** A publisher that keeps what it is given. */
function recorder() {
  const events: StateEvent[] = [];
  const flushes: number[] = [];
  return {
    events,
    flushes,
    publish: (event: StateEvent) => events.push(event),
    flush: async (remainingMs: number) => {
      flushes.push(remainingMs);
      return { published: events.length, notPublished: 0 };
    },
  };
}

describe('runChangeEvent', () => {
  it("carries exactly the contract's fields, the run's kind and the origin's account and region for a record from before accounts", () => {
    const { account: _account, region: _region, ...before } = fresh();
    const run = requested(before, SNAPSHOT, at('2025-03-01T10:00:02.000Z'), 60_000);

    const event = runChangeEvent(run, null, ORIGIN);

    expect(event).toEqual({
      detailType: 'Snapshot Run State Change',
      time: at('2025-03-01T10:00:02.000Z'),
      detail: {
        policyId: 'orders-hourly',
        cacheName: 'orders',
        slot: SLOT,
        kind: 'SCHEDULED',
        status: 'REQUESTED',
        previousStatus: null,
        snapshotName: run.snapshotName,
        attempts: 0,
        error: null,
        account: '123456789012',
        region: 'eu-west-1',
      },
    });
  });

  it('takes the kind from the record, and account and region when it carries them', () => {
    const run = {
      ...fresh(),
      status: 'REQUESTED',
      kind: 'ON_DEMAND',
      account: '210987654321',
      region: 'us-west-2',
    };

    const { detail } = runChangeEvent(run as RunRecord, null, ORIGIN);

    expect(detail).toMatchObject({ kind: 'ON_DEMAND', account: '210987654321', region: 'us-west-2' });
  });

  it('carries the error as { code, message }, a long message cut at 1,024 characters', () => {
    const run = retrying(fresh(), { code: 'Throttling', message: 'x'.repeat(5_000) }, at(SLOT), at(SLOT));

    const { detail } = runChangeEvent(run, null, ORIGIN);

    expect(detail.error).toEqual({ code: 'Throttling', message: 'x'.repeat(1_024) });
  });
});

describe('previousStatusOf', () => {
  it('is null for a run with no record yet, and for a fresh claim', () => {
    expect(previousStatusOf(undefined)).toBeNull();
    expect(previousStatusOf(fresh())).toBeNull();
  });

  it('is RETRYING for a claim taken from a retry, and the status itself otherwise', () => {
    const retry = retrying(fresh(), BUSY, at('2025-03-01T10:05:00.000Z'), at(SLOT));

    expect(previousStatusOf(reclaimed(retry, 'tick-b', at('2025-03-01T10:05:00.000Z'), 60_000))).toBe(
      'RETRYING',
    );
    expect(previousStatusOf(retry)).toBe('RETRYING');
  });
});

describe('runEventSink', () => {
  it('publishes nothing for a claim, nor for a retry that finds the cache busy again', () => {
    const publisher = recorder();
    const sink = runEventSink(publisher, ORIGIN);
    const retry = retrying(fresh(), BUSY, at('2025-03-01T10:05:00.000Z'), at(SLOT));
    const claim = reclaimed(retry, 'tick-b', at('2025-03-01T10:05:00.000Z'), 60_000);

    sink.changed(claim, retry);
    sink.changed(
      retrying(claim, BUSY, at('2025-03-01T10:10:00.000Z'), at('2025-03-01T10:05:00.000Z')),
      claim,
    );

    expect(publisher.events).toEqual([]);
  });

  it('publishes the end of a claim with the status before it', () => {
    const publisher = recorder();
    const sink = runEventSink(publisher, ORIGIN);
    const retry = retrying(fresh(), BUSY, at('2025-03-01T10:05:00.000Z'), at(SLOT));
    const claim = reclaimed(retry, 'tick-b', at('2025-03-01T10:05:00.000Z'), 60_000);

    sink.changed(retry, fresh());
    sink.changed(requested(claim, SNAPSHOT, at('2025-03-01T10:05:01.000Z'), 60_000), claim);

    expect(publisher.events.map(({ detail }) => [detail.previousStatus, detail.status])).toEqual([
      [null, 'RETRYING'],
      ['RETRYING', 'REQUESTED'],
    ]);
  });
});

describe('run writes and their events', () => {
  it('publishes a write saveRun made and a record saveNewRun created, nothing for a write that lost', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    const publisher = recorder();
    const deps = { ...h.deps, events: runEventSink(publisher, ORIGIN) };
    const claim = fresh();
    await h.runs.create(claim);
    const busy = retrying(claim, BUSY, at('2025-03-01T10:05:00.000Z'), at(SLOT));
    const missed = missedRun(
      { ...claim, ...HOME_PLACEMENT, slot: '2025-03-01T09:00:00.000Z' },
      { code: 'SlotSuperseded', message: 'skipped' },
      at(SLOT),
      90,
    );

    expect(await saveRun(deps, busy, claim)).toBe(true);
    expect(await saveRun(deps, requested(claim, SNAPSHOT, at(SLOT), 60_000), claim)).toBe(false);
    expect(await saveNewRun(deps, missed)).toBe(true);
    expect(await saveNewRun(deps, missed)).toBe(false);

    expect(publisher.events.map(({ detail }) => [detail.slot, detail.previousStatus, detail.status])).toEqual(
      [
        [SLOT, null, 'RETRYING'],
        ['2025-03-01T09:00:00.000Z', null, 'MISSED'],
      ],
    );
  });
});

describe('run events of a tick', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("publishes one event per status change over a run's life: busy, requested, available, pruning, pruned", async () => {
    const h = new SchedulerHarness({ start: SLOT });
    const publisher = recorder();
    const deps = { ...h.deps, events: runEventSink(publisher, ORIGIN) };
    const item = policyItem('orders-hourly', { retention: { maxCount: 1, minCount: 1 } });
    await putActivePolicy(h.policies, item, SLOT);
    const tick = (iso: string) => {
      h.time.set(iso);
      return runTick(deps, { at: at(iso), tickId: `event-${iso}` });
    };
    h.gateway.failNext('createSnapshot', serviceFault('busy'));

    await tick(SLOT);
    await tick('2025-03-01T10:05:00.000Z');
    const first = await h.requireRun('orders-hourly', SLOT);
    h.gateway.complete(first.snapshotName, 1024);
    await tick('2025-03-01T10:10:00.000Z');
    await tick('2025-03-01T11:00:00.000Z');
    const second = await h.requireRun('orders-hourly', '2025-03-01T11:00:00.000Z');
    h.gateway.complete(second.snapshotName, 1024);
    await tick('2025-03-01T11:05:00.000Z');

    const changes = publisher.events
      .filter(({ detail }) => detail.slot === SLOT)
      .map(({ detail }) => `${detail.previousStatus}→${detail.status}`);
    expect(changes).toEqual([
      'null→RETRYING',
      'RETRYING→REQUESTED',
      'REQUESTED→AVAILABLE',
      'AVAILABLE→PRUNING',
      'PRUNING→PRUNED',
    ]);
  });

  it('flushes once at its end with the time the invocation has left, also when it fails', async () => {
    const h = new SchedulerHarness({ start: SLOT });
    const publisher = recorder();
    const failure = new StoreError('Query on open-index of runs failed');
    const runs = {
      ...h.deps.runs,
      listOpen: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(failure) }) }),
    };
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const deps = { ...h.deps, remainingMs: () => 42_000, events: runEventSink(publisher, ORIGIN) };

    await runTick(deps, { at: at(SLOT), tickId: 'ok' });
    await expect(runTick({ ...deps, runs }, { at: at(SLOT), tickId: 'failing' })).rejects.toBe(failure);

    expect(publisher.flushes).toEqual([42_000, 42_000]);
  });
});
