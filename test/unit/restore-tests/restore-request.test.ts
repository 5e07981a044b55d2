import { describe, expect, it } from 'vitest';
import { planRestore } from '#lib/restore-tests/restore-request';
import type { CacheInfo, SnapshotInfo } from '#lib/snapshots/snapshot-gateway';

const SNAPSHOT: SnapshotInfo = {
  name: 'orders-20260322-0400-1a2b3c4d',
  arn: 'arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:orders-20260322-0400-1a2b3c4d',
  cacheName: 'orders',
  status: 'available',
  snapshotType: 'manual',
  createTime: undefined,
  bytesUsedForCache: 1024,
  kmsKeyId: undefined,
  engine: 'redis',
  majorEngineVersion: '7',
};
const SOURCE: CacheInfo = {
  name: 'orders',
  status: 'available',
  engine: 'valkey',
  arn: 'arn:aws:elasticache:us-east-1:123456789012:serverlesscache:orders',
  majorEngineVersion: '8',
  subnetIds: ['subnet-0a1b2c3d4e5f60718'],
  securityGroupIds: ['sg-0123456789abcdef0'],
  createTime: undefined,
};

describe('planRestore', () => {
  it("restores the snapshot's engine and major version into the source cache's subnets and groups", () => {
    const plan = planRestore({ name: 'orders-copy', snapshot: SNAPSHOT, source: SOURCE, tags: { a: 'b' } });

    expect(plan).toEqual({
      ok: true,
      request: {
        name: 'orders-copy',
        engine: 'redis',
        majorEngineVersion: '7',
        snapshotArns: [SNAPSHOT.arn],
        subnetIds: SOURCE.subnetIds,
        securityGroupIds: SOURCE.securityGroupIds,
        tags: { a: 'b' },
      },
    });
  });

  it('takes given subnets and security groups instead of the source cache’s', () => {
    const plan = planRestore({
      name: 'orders-copy',
      snapshot: SNAPSHOT,
      source: SOURCE,
      subnetIds: ['subnet-0ffffffffffffffff'],
      securityGroupIds: ['sg-0fffffffffffffff0'],
      tags: {},
    });

    expect(plan.ok && plan.request).toMatchObject({
      subnetIds: ['subnet-0ffffffffffffffff'],
      securityGroupIds: ['sg-0fffffffffffffff0'],
    });
  });

  it("falls back to the source cache's engine and version when the snapshot does not say", () => {
    const snapshot = { ...SNAPSHOT, engine: undefined, majorEngineVersion: undefined };

    const plan = planRestore({ name: 'x', snapshot, source: SOURCE, tags: {} });

    expect(plan.ok && plan.request).toMatchObject({ engine: 'valkey', majorEngineVersion: '8' });
  });

  it('restores a snapshot of a deleted cache into given subnets, with no security groups when none are given', () => {
    const plan = planRestore({
      name: 'x',
      snapshot: SNAPSHOT,
      source: undefined,
      subnetIds: ['subnet-0ffffffffffffffff'],
      tags: {},
    });

    expect(plan.ok && plan.request).toMatchObject({
      engine: 'redis',
      subnetIds: ['subnet-0ffffffffffffffff'],
      securityGroupIds: undefined,
    });
  });

  it.each([
    [
      'a snapshot still creating',
      { snapshot: { ...SNAPSHOT, status: 'creating' }, source: SOURCE },
      'snapshot orders-20260322-0400-1a2b3c4d is creating, not available',
    ],
    [
      'a snapshot of a deleted cache without subnets',
      { snapshot: SNAPSHOT, source: undefined },
      "cache orders of snapshot orders-20260322-0400-1a2b3c4d no longer exists: give the new cache's subnets (--subnet-ids) and security groups",
    ],
    [
      'an engine nobody tells',
      {
        snapshot: { ...SNAPSHOT, engine: undefined },
        source: undefined,
        subnetIds: ['subnet-0ffffffffffffffff'],
      },
      'the engine of snapshot orders-20260322-0400-1a2b3c4d is unknown (its cache is gone)',
    ],
  ])('refuses %s, saying why', (_, input, reason) => {
    expect(planRestore({ name: 'x', tags: {}, ...input })).toEqual({ ok: false, reason });
  });
});
