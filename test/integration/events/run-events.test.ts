import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { addMs, MINUTE_MS } from '#lib/clock';
import { logger, METRIC, metrics } from '#lib/observability';
import type { RunRecord, RunStatus } from '#lib/runs/types';
import { runEventsOf } from '#lib/runtime';
import type { RecordedEvent } from '#local/eventbridge/index';
import type { Simulation } from '#local/simulation';
import { hourlyPolicy, simulationWithCaches } from '../scheduler/support';

const START = new Date('2026-05-04T09:00:00.000Z');
const CONTRACT_FIELDS = [
  'policyId',
  'cacheName',
  'slot',
  'kind',
  'status',
  'previousStatus',
  'snapshotName',
  'attempts',
  'error',
  'account',
  'region',
].sort();

type Change = `${string} ${string}→${string}`;

/**
 * The status changes operators should have seen, from every run record the ticks wrote in order: CLAIMED
 * looked through, a status written again (a retry busy again) not a change.
 */
function changesWritten(writes: readonly RunRecord[]): Change[] {
  const seen = new Map<string, RunStatus | null>();
  const changes: Change[] = [];
  for (const run of writes) {
    const key = `${run.policyId}@${run.slot}`;
    const previous = seen.get(key) ?? null;
    if (run.status === 'CLAIMED' || run.status === previous) continue;
    changes.push(`${key} ${previous}→${run.status}`);
    seen.set(key, run.status);
  }
  return changes.sort();
}

function changesPublished(events: readonly RecordedEvent[]): Change[] {
  return events
    .map(
      ({ detail }): Change => `${detail.policyId}@${detail.slot} ${detail.previousStatus}→${detail.status}`,
    )
    .sort();
}

function notPublishedCount(counted: MockInstance): number {
  return counted.mock.calls
    .filter(([name]) => name === METRIC.EventsNotPublished)
    .reduce((sum, [, , value]) => sum + Number(value), 0);
}

let sim: Simulation;
let counted: MockInstance;
let logged: MockInstance;

afterEach(async () => {
  vi.restoreAllMocks();
  await sim?.stop();
});

beforeEach(() => {
  counted = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
  logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
});

async function startWith(policies: number, completionMs = 10 * MINUTE_MS): Promise<void> {
  const caches = Array.from({ length: policies }, (_, i) => `cache-${i}`);
  sim = await simulationWithCaches(START, caches, completionMs);
  for (const [i, cache] of caches.entries()) {
    await sim.putPolicy(hourlyPolicy(`policy-${i}`, cache, { retention: { maxCount: 2, minCount: 1 } }));
  }
}

describe('run events on EventBridge, through the real SDK', () => {
  it("publishes one event per status change, with the contract's fields, through busy caches, entry failures, a failed call and a scheduler outage", async () => {
    await startWith(4);
    const { emulator, eventBridge } = sim.stack;
    emulator.setRandomFaults({
      rate: 0.3,
      seed: 11,
      kinds: ['busy'],
      actions: ['CreateServerlessCacheSnapshot'],
    });
    const writes: RunRecord[] = [];
    let step = 0;
    for (let at = START; at < addMs(START, 8 * 60 * MINUTE_MS); at = addMs(at, 10 * MINUTE_MS), step += 1) {
      const hour = (at.getTime() - START.getTime()) / (60 * MINUTE_MS);
      if (hour >= 3 && hour < 5) continue;
      if (step % 7 === 3) eventBridge.failNextEntries(3);
      if (step % 11 === 5) eventBridge.scriptFaults(['http500']);
      await sim.tick(at, { observe: (run) => writes.push(run) });
    }

    const events = eventBridge.events();
    const statuses = new Set(events.map((event) => event.detail.status));
    expect(statuses).toEqual(new Set(['RETRYING', 'REQUESTED', 'AVAILABLE', 'PRUNING', 'PRUNED', 'MISSED']));
    expect(changesPublished(events)).toEqual(changesWritten(writes));
    expect(notPublishedCount(counted)).toBe(0);
    expect(eventBridge.calls.filter((call) => call.failed > 0).length).toBeGreaterThan(0);
    expect(eventBridge.calls.filter((call) => call.outcome === 'InternalException').length).toBeGreaterThan(
      0,
    );
    for (const event of events) {
      expect(event).toMatchObject({
        source: 'cache-snapshot-orchestrator',
        detailType: 'Snapshot Run State Change',
        eventBusName: 'default',
      });
      expect(Object.keys(event.detail).sort()).toEqual(CONTRACT_FIELDS);
      expect(event.detail).toMatchObject({ kind: 'SCHEDULED', account: '123456789012', region: 'us-east-1' });
    }
    const failed = events.find((event) => event.detail.status === 'RETRYING');
    expect(failed?.detail.error).toEqual({
      code: 'InvalidServerlessCacheStateFault',
      message: expect.any(String),
    });
  });

  it('costs no snapshot when EventBridge is down: the runs go on, every event not published is logged and counted', async () => {
    await startWith(5);
    sim.stack.eventBridge.setOutage('http500');

    const summary = await sim.tick(START);

    expect(summary.outcomes).toEqual({ REQUESTED: 5 });
    expect((await sim.allRuns()).map((run) => run.status)).toEqual(Array(5).fill('REQUESTED'));
    expect(sim.stack.emulator.snapshots()).toHaveLength(5);
    expect(sim.stack.eventBridge.events()).toEqual([]);
    expect(notPublishedCount(counted)).toBe(5);
    expect(logged).toHaveBeenCalledWith(
      'events not published',
      expect.objectContaining({ errorCode: 'InternalException' }),
    );

    sim.stack.eventBridge.setOutage(undefined);
    await sim.tick(addMs(START, 15 * MINUTE_MS));

    expect(changesPublished(sim.stack.eventBridge.events())).toEqual(
      (await sim.allRuns()).map((run): Change => `${run.policyId}@${run.slot} REQUESTED→AVAILABLE`).sort(),
    );
  });

  it('ends a tick whose EventBridge never answers at the bounded wait, its runs written and its events counted', async () => {
    await startWith(5);
    sim.stack.eventBridge.setStalled(true);
    const events = runEventsOf(sim.runtime, { sleep: async () => {}, maxWaitMs: 200 });

    const summary = await sim.tick(START, { events });

    expect(summary.outcomes).toEqual({ REQUESTED: 5 });
    expect(sim.stack.eventBridge.events()).toEqual([]);
    expect(notPublishedCount(counted)).toBe(5);
    expect(logged).toHaveBeenCalledWith(
      'events not published',
      expect.objectContaining({ errorCode: 'PublishTimeout' }),
    );
  });
});
