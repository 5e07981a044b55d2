import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '#lib/clock';
import { buildSnapshotName } from '#lib/naming/snapshot-name';
import type { Simulation } from '#local/simulation';
import { createCalls, hourlyPolicy, onlyRun, simulationWithCaches } from './support';

const SLOT = new Date('2026-06-01T10:00:00.000Z');
const CREATE = 'CreateServerlessCacheSnapshot';
const later = (minutes: number) => new Date(SLOT.getTime() + minutes * MINUTE_MS);

describe('CreateServerlessCacheSnapshot faults, handled by class', () => {
  let sim: Simulation;
  afterEach(() => sim?.stop());

  async function start(extra = {}) {
    sim = await simulationWithCaches(new Date(SLOT.getTime() - MINUTE_MS), ['orders']);
    await sim.putPolicy(hourlyPolicy('orders-hourly', 'orders', extra));
  }

  it('retries Throttling and HTTP 500 within the tick until the snapshot is requested', async () => {
    await start();
    sim.stack.emulator.scriptFaults(CREATE, [
      { kind: 'throttling' },
      { kind: 'http500' },
      { kind: 'throttling' },
      { kind: 'http500' },
    ]);
    await sim.tick(SLOT);
    const run = await onlyRun(sim, 'orders-hourly');
    expect(run.status).toBe('REQUESTED');
    expect(run.attempts).toBe(2);
    expect(createCalls(sim).map((call) => call.outcome)).toEqual([
      'Throttling',
      'InternalFailure',
      'Throttling',
      'InternalFailure',
      'ok',
    ]);
  });

  it('turns a busy cache into a durable retry that succeeds on a later tick', async () => {
    await start();
    sim.stack.emulator.setCacheStatus('orders', 'modifying');
    await sim.tick(SLOT);
    const deferred = await onlyRun(sim, 'orders-hourly');
    expect(deferred).toMatchObject({
      status: 'RETRYING',
      lastError: { code: 'InvalidServerlessCacheStateFault' },
    });
    expect(deferred.retryAt! > deferred.slot).toBe(true);
    sim.stack.emulator.setCacheStatus('orders', 'available');
    for (let minute = 1; minute <= 20; minute += 1) await sim.tick(later(minute));
    const done = await onlyRun(sim, 'orders-hourly');
    expect(done.status).toBe('AVAILABLE');
    expect(createCalls(sim).map((call) => call.outcome)).toEqual(['InvalidServerlessCacheStateFault', 'ok']);
  });

  it('records a quota fault with its code and keeps retrying within the window', async () => {
    await start();
    sim.stack.emulator.scriptFaults(CREATE, [
      { kind: 'fault', code: 'ServerlessCacheSnapshotQuotaExceededFault' },
    ]);
    await sim.tick(SLOT);
    expect(await onlyRun(sim, 'orders-hourly')).toMatchObject({
      status: 'RETRYING',
      lastError: { code: 'ServerlessCacheSnapshotQuotaExceededFault' },
    });
  });

  it.each([
    ['ServerlessCacheNotFoundFault', 404],
    ['InvalidParameterValue', 400],
  ])('ends FAILED with the code on %s', async (code, httpStatus) => {
    await start();
    sim.stack.emulator.scriptFaults(CREATE, [{ kind: 'fault', code, httpStatus }]);
    await sim.tick(SLOT);
    for (let minute = 1; minute <= 5; minute += 1) await sim.tick(later(minute));
    expect(await onlyRun(sim, 'orders-hourly')).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: { code },
    });
    expect(createCalls(sim)).toHaveLength(1);
  });

  it('counts AlreadyExists for our own name on our cache as success (the first answer was lost)', async () => {
    await start();
    sim.stack.emulator.scriptFaults(CREATE, [{ kind: 'drop', afterEffect: true }]);
    await sim.tick(SLOT);
    const run = await onlyRun(sim, 'orders-hourly');
    expect(run.status).toBe('REQUESTED');
    expect(run.snapshotArn).toContain(run.snapshotName);
    expect(createCalls(sim).map((call) => call.outcome)).toEqual([
      'drop',
      'ServerlessCacheSnapshotAlreadyExistsFault',
    ]);
    expect(sim.stack.emulator.snapshots()).toHaveLength(1);
  });

  it('ends FAILED when the name is taken by a snapshot of another cache', async () => {
    await start();
    sim.stack.emulator.seedCache({ name: 'other' });
    await sim.tick(new Date(SLOT.getTime() - 30_000));
    expect((await sim.runtime.policies.get('orders-hourly'))?.nextRunAt).toBe(SLOT.toISOString());
    sim.stack.emulator.seedSnapshot({
      name: buildSnapshotName({
        namePrefix: 'orders',
        deployment: sim.stack.deploymentName,
        policyId: 'orders-hourly',
        cacheName: 'orders',
        slot: SLOT,
      }),
      cacheName: 'other',
    });
    await sim.tick(SLOT);
    const run = await onlyRun(sim, 'orders-hourly');
    expect(run).toMatchObject({
      status: 'FAILED',
      lastError: { code: 'ServerlessCacheSnapshotAlreadyExistsFault' },
    });
    expect(run.lastError?.message).toContain('taken by a snapshot of another cache, "other"');
  });
});
