import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import type { Simulation } from '#local/simulation';
import { createCalls, simulationWithCaches, tagOf } from './support';

/** Ticks every 5 minutes from `from` to `to` and returns the slots the snapshots were taken for. */
async function slotsTaken(sim: Simulation, from: string, to: string): Promise<string[]> {
  await sim.tickThrough(new Date(from), new Date(to), 5 * MINUTE_MS);
  return createCalls(sim).map((call) => String(tagOf(call, 'snapshot-slot')));
}

describe('schedules in a policy timezone, across daylight saving time', () => {
  let sim: Simulation;
  afterEach(() => sim?.stop());

  it('fires cron(0 2 * * ? *) in Europe/Berlin at 01:00Z in January', async () => {
    sim = await simulationWithCaches(new Date('2026-01-14T00:00:00Z'), ['berlin']);
    await sim.putPolicy({
      policyId: 'berlin',
      cacheName: 'berlin',
      schedule: 'cron(0 2 * * ? *)',
      timezone: 'Europe/Berlin',
    });
    expect(await slotsTaken(sim, '2026-01-14T00:00:00Z', '2026-01-15T23:55:00Z')).toEqual([
      '2026-01-14T01:00:00.000Z',
      '2026-01-15T01:00:00.000Z',
    ]);
  });

  it('fires cron(0 2 * * ? *) in Europe/Berlin at 00:00Z in July', async () => {
    sim = await simulationWithCaches(new Date('2026-07-14T00:00:00Z'), ['berlin']);
    await sim.putPolicy({
      policyId: 'berlin',
      cacheName: 'berlin',
      schedule: 'cron(0 2 * * ? *)',
      timezone: 'Europe/Berlin',
    });
    const taken = await slotsTaken(sim, '2026-07-13T23:55:00Z', '2026-07-15T23:55:00Z');
    expect(taken).toEqual(['2026-07-14T00:00:00.000Z', '2026-07-15T00:00:00.000Z']);
    expect(sim.stack.emulator.snapshots().map((snapshot) => snapshot.name)).toEqual([
      expect.stringMatching(/^berlin-20260714-0000-[0-9a-f]{8}$/),
      expect.stringMatching(/^berlin-20260715-0000-[0-9a-f]{8}$/),
    ]);
  });

  it('fires a daily America/New_York policy once on the day clocks fall back', async () => {
    sim = await simulationWithCaches(new Date('2026-10-31T12:00:00Z'), ['ny']);
    await sim.putPolicy({
      policyId: 'ny-daily',
      cacheName: 'ny',
      schedule: 'cron(30 1 * * ? *)',
      timezone: 'America/New_York',
    });
    // 01:30 happens twice on 2026-11-01 (EDT 05:30Z, then EST 06:30Z): one snapshot, at the first.
    expect(await slotsTaken(sim, '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('keeps an hourly America/New_York policy at least an hour apart through the repeated hour', async () => {
    sim = await simulationWithCaches(new Date('2026-11-01T03:00:00Z'), ['ny']);
    await sim.putPolicy({
      policyId: 'ny-hourly',
      cacheName: 'ny',
      schedule: 'cron(0 * * * ? *)',
      timezone: 'America/New_York',
    });
    const taken = await slotsTaken(sim, '2026-11-01T03:00:00Z', '2026-11-01T09:00:00Z');
    expect(taken).toEqual([
      '2026-11-01T03:00:00.000Z',
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
      '2026-11-01T09:00:00.000Z',
    ]);
    const gaps = taken.slice(1).map((slot, i) => Date.parse(slot) - Date.parse(taken[i] as string));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(60 * MINUTE_MS);
  });
});
