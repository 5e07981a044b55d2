import { afterEach, describe, expect, it } from 'vitest';
import { Simulation } from '#local/simulation';
import { hourlyPolicy } from '#test/integration/scheduler/support';

const START = new Date('2026-04-06T00:00:00.000Z');

describe('export buckets checked when a policy is written (local S3, real SDK)', () => {
  let sim: Simulation | undefined;
  afterEach(() => sim?.stop());

  async function start(): Promise<Simulation> {
    sim = await Simulation.start({ start: START, s3: true });
    sim.stack.emulator.seedCache({ name: 'orders' });
    return sim;
  }

  async function stored(policyId: string) {
    return sim?.runtime.policies.get(policyId);
  }

  it('activates a policy whose export bucket is in the cache region and whose replica bucket exists', async () => {
    const s = await start();
    await s.stack.s3?.createBucket('orders-exports', 'us-east-1');
    await s.stack.s3?.createBucket('orders-dr', 'eu-west-1');
    await s.putPolicy(
      hourlyPolicy('exported', 'orders', {
        export: { bucket: 'orders-exports', replicateTo: { bucket: 'orders-dr', region: 'eu-west-1' } },
      }),
    );
    expect((await stored('exported'))?.state).toBe('ACTIVE');
  });

  it('marks a policy INVALID naming export.bucket when the bucket does not exist', async () => {
    const s = await start();
    await s.putPolicy(hourlyPolicy('no-bucket', 'orders', { export: { bucket: 'nobody-made-this' } }));
    const item = await stored('no-bucket');
    expect(item?.state).toBe('INVALID');
    expect(item?.stateReason).toMatch(/^export\.bucket: bucket "nobody-made-this" does not exist/);
    expect(item?.nextRunAt).toBeUndefined();
  });

  it('marks a policy INVALID naming export.bucket when the bucket is in another region than the cache', async () => {
    const s = await start();
    await s.stack.s3?.createBucket('far-away', 'ap-southeast-2');
    await s.putPolicy(hourlyPolicy('far', 'orders', { export: { bucket: 'far-away' } }));
    const item = await stored('far');
    expect(item?.state).toBe('INVALID');
    expect(item?.stateReason).toContain('export.bucket: bucket "far-away" is in ap-southeast-2');
  });

  it('marks a policy INVALID naming export.replicateTo.bucket when the replica bucket does not exist', async () => {
    const s = await start();
    await s.stack.s3?.createBucket('orders-exports', 'us-east-1');
    await s.putPolicy(
      hourlyPolicy('no-replica', 'orders', {
        export: { bucket: 'orders-exports', replicateTo: { bucket: 'missing-dr', region: 'eu-west-1' } },
      }),
    );
    const item = await stored('no-replica');
    expect(item?.state).toBe('INVALID');
    expect(item?.stateReason).toMatch(/^export\.replicateTo\.bucket: bucket "missing-dr" does not exist/);
  });
});
