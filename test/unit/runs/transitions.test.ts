import { describe, expect, it } from 'vitest';
import {
  available,
  claimedRun,
  counted,
  ended,
  gone,
  missedRun,
  type NewRun,
  pruning,
  reclaimed,
  requested,
  retrying,
} from '#lib/runs/transitions';
import type { RunRecord } from '#lib/runs/types';
import type { SnapshotInfo } from '#lib/snapshots/snapshot-gateway';

const SLOT = '2025-03-01T10:00:00.000Z';
const LEASE_MS = 5 * 60_000;
const POLL_MS = 60_000;
const NEW_RUN: NewRun = {
  policyId: 'orders-hourly',
  slot: SLOT,
  cacheName: 'orders',
  kind: 'SCHEDULED',
  account: '111111111111',
  region: 'us-east-1',
  snapshotName: 'orders-20250301-1000-1a2b3c4d',
  windowClosesAt: '2025-03-01T10:30:00.000Z',
};
const SNAPSHOT: SnapshotInfo = {
  name: NEW_RUN.snapshotName,
  arn: `arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:${NEW_RUN.snapshotName}`,
  cacheName: 'orders',
  status: 'available',
  snapshotType: 'manual',
  createTime: new Date(SLOT),
  bytesUsedForCache: 4096,
  kmsKeyId: undefined,
};
const BUSY = { code: 'InvalidServerlessCacheStateFault', message: 'busy' };

function at(minutes: number): Date {
  return new Date(Date.parse(SLOT) + minutes * 60_000);
}

/** Which of the status-bound fields a record carries. */
function statusFields(run: RunRecord) {
  return {
    retryAt: run.retryAt !== undefined,
    leaseExpiresAt: run.leaseExpiresAt !== undefined,
    nextCheckAt: run.nextCheckAt !== undefined,
    expiresAt: run.expiresAt !== undefined,
  };
}

function claimed(): RunRecord {
  return claimedRun(NEW_RUN, 'tick-a', at(0), LEASE_MS);
}

describe('run transitions', () => {
  it('a claim carries the lease and is next looked at when the lease expires', () => {
    const run = claimed();

    expect(run).toMatchObject({
      status: 'CLAIMED',
      attempts: 0,
      leaseOwner: 'tick-a',
      leaseExpiresAt: '2025-03-01T10:05:00.000Z',
      nextCheckAt: '2025-03-01T10:05:00.000Z',
    });
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: true,
      nextCheckAt: true,
      expiresAt: false,
    });
  });

  it('a request drops the lease, keeps the lease owner and is polled after the poll interval', () => {
    const run = requested(counted(claimed()), SNAPSHOT, at(1), POLL_MS);

    expect(run).toMatchObject({
      status: 'REQUESTED',
      attempts: 1,
      leaseOwner: 'tick-a',
      snapshotArn: SNAPSHOT.arn,
      requestedAt: '2025-03-01T10:01:00.000Z',
      nextCheckAt: '2025-03-01T10:02:00.000Z',
      updatedAt: '2025-03-01T10:01:00.000Z',
    });
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: false,
      nextCheckAt: true,
      expiresAt: false,
    });
  });

  it('a repeated request keeps the time of the first one', () => {
    const first = requested(claimed(), SNAPSHOT, at(1), POLL_MS);

    const again = requested(reclaimed(first, 'tick-b', at(20), LEASE_MS), SNAPSHOT, at(20), POLL_MS);

    expect(again.requestedAt).toBe('2025-03-01T10:01:00.000Z');
  });

  it('a durable retry carries retryAt, which is also when it is next looked at, and no lease', () => {
    const run = retrying(counted(claimed()), BUSY, at(3), at(1));

    expect(run).toMatchObject({
      status: 'RETRYING',
      leaseOwner: 'tick-a',
      lastError: BUSY,
      retryAt: '2025-03-01T10:03:00.000Z',
      nextCheckAt: '2025-03-01T10:03:00.000Z',
    });
    expect(statusFields(run)).toEqual({
      retryAt: true,
      leaseExpiresAt: false,
      nextCheckAt: true,
      expiresAt: false,
    });
  });

  it('taking a retry over drops retryAt and gives the new owner a lease, keeping the attempts', () => {
    const waiting = retrying(counted(claimed()), BUSY, at(3), at(1));

    const run = reclaimed(waiting, 'tick-b', at(3), LEASE_MS);

    expect(run).toMatchObject({
      status: 'CLAIMED',
      attempts: 1,
      leaseOwner: 'tick-b',
      leaseExpiresAt: '2025-03-01T10:08:00.000Z',
      nextCheckAt: '2025-03-01T10:08:00.000Z',
    });
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: true,
      nextCheckAt: true,
      expiresAt: false,
    });
  });

  it('an available run carries its size and completion time and is no longer looked at', () => {
    const run = available(requested(claimed(), SNAPSHOT, at(1), POLL_MS), SNAPSHOT, at(4));

    expect(run).toMatchObject({
      status: 'AVAILABLE',
      bytesUsedForCache: 4096,
      completedAt: '2025-03-01T10:04:00.000Z',
      leaseOwner: 'tick-a',
    });
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: false,
      nextCheckAt: false,
      expiresAt: false,
    });
  });

  it('a pruning run is looked at again at the given time and carries the deletion error when there is one', () => {
    const done = available(requested(claimed(), SNAPSHOT, at(1), POLL_MS), SNAPSHOT, at(4));
    const error = { code: 'Throttling', message: 'slow down' };

    const run = pruning(done, at(60), at(62), error);

    expect(run).toMatchObject({
      status: 'PRUNING',
      nextCheckAt: '2025-03-01T11:02:00.000Z',
      lastError: error,
    });
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: false,
      nextCheckAt: true,
      expiresAt: false,
    });
  });

  it.each(['FAILED', 'MISSED', 'SKIPPED', 'PRUNED'] as const)(
    'a %s run carries only the TTL expiry, retentionDays after now, and its reason',
    (status) => {
      const waiting = retrying(counted(claimed()), BUSY, at(3), at(1));
      const reason = { code: 'StartWindowClosed', message: 'too late' };

      const run = ended(waiting, status, at(31), 90, reason);

      expect(run).toMatchObject({ status, lastError: reason, leaseOwner: 'tick-a' });
      expect(run.expiresAt).toBe(Math.floor(at(31).getTime() / 1000) + 90 * 24 * 3600);
      expect(statusFields(run)).toEqual({
        retryAt: false,
        leaseExpiresAt: false,
        nextCheckAt: false,
        expiresAt: true,
      });
    },
  );

  it('a GONE run is terminal with the TTL expiry, when and by which check it was noticed, and why', () => {
    const done = available(requested(claimed(), SNAPSHOT, at(1), POLL_MS), SNAPSHOT, at(4));

    const run = gone(done, 'reconcile', 'not in the listing of cache orders', at(90), 90);

    expect(run).toMatchObject({
      status: 'GONE',
      goneAt: '2025-03-01T11:30:00.000Z',
      goneNoticedBy: 'reconcile',
      lastError: { code: 'SnapshotGone', message: 'not in the listing of cache orders' },
      snapshotArn: SNAPSHOT.arn,
    });
    expect(run.expiresAt).toBe(Math.floor(at(90).getTime() / 1000) + 90 * 24 * 3600);
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: false,
      nextCheckAt: false,
      expiresAt: true,
    });
  });

  it('only PRUNED is stamped with prunedAt', () => {
    const done = available(requested(claimed(), SNAPSHOT, at(1), POLL_MS), SNAPSHOT, at(4));

    expect(ended(done, 'PRUNED', at(60), 90).prunedAt).toBe('2025-03-01T11:00:00.000Z');
    expect(ended(done, 'FAILED', at(60), 90).prunedAt).toBeUndefined();
  });

  it('a missed slot is recorded terminal with its reason and no attempt', () => {
    const reason = { code: 'SlotSuperseded', message: 'outage' };

    const run = missedRun(NEW_RUN, reason, at(180), 90);

    expect(run).toMatchObject({
      status: 'MISSED',
      attempts: 0,
      lastError: reason,
      createdAt: at(180).toISOString(),
    });
    expect(statusFields(run)).toEqual({
      retryAt: false,
      leaseExpiresAt: false,
      nextCheckAt: false,
      expiresAt: true,
    });
  });

  it('counting an attempt changes nothing but the attempts', () => {
    const run = claimed();

    expect(counted(run)).toEqual({ ...run, attempts: 1 });
  });
});

describe('the error a run carries', () => {
  const base = claimedRun(
    {
      policyId: 'p',
      slot: '2025-01-01T00:00:00.000Z',
      cacheName: 'c',
      kind: 'SCHEDULED',
      account: '111111111111',
      region: 'us-east-1',
      snapshotName: 'c-1',
      windowClosesAt: '2025-01-01T01:00:00.000Z',
    },
    'tick-a',
    new Date('2025-01-01T00:00:00.000Z'),
    60_000,
  );
  const busy = { code: 'InvalidServerlessCacheStateFault', message: 'busy' };
  const now = new Date('2025-01-01T00:05:00.000Z');

  it('keeps the last error while a retry is claimed, and drops it once the snapshot is requested', () => {
    const deferred = retrying(base, busy, now, now);
    const claimed = reclaimed(deferred, 'tick-b', now, 60_000);
    expect(claimed.lastError).toEqual(busy);
    const snapshot = {
      name: 'c-1',
      arn: 'arn:c-1',
      cacheName: 'c',
      status: 'creating',
      snapshotType: 'manual',
      createTime: now,
      bytesUsedForCache: undefined,
      kmsKeyId: undefined,
    };
    expect(requested(claimed, snapshot, now, 60_000).lastError).toBeUndefined();
  });
});
