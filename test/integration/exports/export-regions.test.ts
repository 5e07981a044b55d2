import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from '#local/simulation';
import { exportingPolicy, exportSimulation, hoursLater, runsOf, START, TICK_MS } from './support';

/**
 * A policy whose cache is in another region of the orchestrator's account, exporting: its bucket judged
 * against the cache's region, the export made and found there (emulator partitions, local S3, real SDK).
 */
describe('an export of a cache in another region on the local stack', () => {
  let sim: Simulation;
  beforeAll(async () => {
    sim = await exportSimulation({ 'orders-exports-eu': 'eu-west-1', 'orders-exports': 'us-east-1' });
    sim.stack.emulator.partition(sim.stack.emulator.accountId, 'eu-west-1').seedCache({ name: 'orders' });
    await sim.putPolicy(
      exportingPolicy('eu-hourly', { bucket: 'orders-exports-eu' }, { region: 'eu-west-1' }),
    );
    await sim.putPolicy(exportingPolicy('eu-wrong', { bucket: 'orders-exports' }, { region: 'eu-west-1' }));
    await sim.tickThrough(START, hoursLater(0.5), TICK_MS);
  }, 60_000);
  afterAll(() => sim?.stop());

  it('refuses a bucket outside the cache’s region, naming that region', async () => {
    expect(await sim.runtime.policies.get('eu-wrong')).toMatchObject({
      state: 'INVALID',
      stateReason: expect.stringContaining("not in the cache's region eu-west-1"),
    });
  });

  it('exports the snapshot to the bucket in the cache’s region and records it EXPORTED there', async () => {
    const [run] = await runsOf(sim, 'eu-hourly');

    expect(run).toMatchObject({ region: 'eu-west-1', export: { status: 'EXPORTED', region: 'eu-west-1' } });
    expect(sim.stack.emulator.exports().map((made) => [made.region, made.bucket, made.status])).toEqual([
      ['eu-west-1', 'orders-exports-eu', 'completed'],
    ]);
  });
});
