/**
 * What tests and the local stack do to snapshots behind the API's back: seed earlier ones, change a status,
 * make one vanish, and read the state as of the clock.
 */
import type { EmulatorSnapshot, SnapshotSeed } from '#local/emulator/types';
import { formatSnapshotArn, type Partition } from './arns';
import type { CacheRegistry } from './cache-registry';
import { DAY_MS, ENGINE_DEFAULTS, toSnapshotView } from './records';
import type { SnapshotRules } from './snapshot-operations';
import type { SnapshotStore } from './snapshot-store';

export class SnapshotControls {
  constructor(
    private readonly partition: Partition,
    private readonly clock: () => Date,
    private readonly caches: CacheRegistry,
    private readonly store: SnapshotStore,
    private readonly rules: SnapshotRules,
  ) {}

  /**
   * Stores a snapshot as if it existed already, replacing any of the same name. Names are not validated;
   * a manual seed counts toward its cache's 24 h quota from its CreateTime, and toward the account limit.
   */
  seed(seed: SnapshotSeed): EmulatorSnapshot {
    const createTime = seed.createTime ?? this.clock();
    const snapshotType = seed.snapshotType ?? 'manual';
    const status = seed.status ?? 'available';
    const cache = this.caches.find(seed.cacheName);
    const engine = seed.engine ?? cache?.engine ?? 'valkey';
    const record = this.store.add({
      name: seed.name,
      arn: formatSnapshotArn(this.partition, seed.name),
      cacheName: cache?.name ?? seed.cacheName,
      snapshotType,
      status,
      availableAt: this.availableAtOf(status, createTime, seed.availableAt),
      createTime,
      expiryTime:
        seed.expiryTime ??
        (snapshotType === 'automated' ? new Date(createTime.getTime() + DAY_MS) : undefined),
      tags: { ...seed.tags },
      kmsKeyId: seed.kmsKeyId,
      bytesUsedForCache: seed.bytesUsedForCache ?? cache?.bytesUsed ?? 0,
      engine,
      majorEngineVersion:
        seed.majorEngineVersion ?? cache?.majorEngineVersion ?? ENGINE_DEFAULTS[engine]?.major ?? '1',
    });
    if (snapshotType === 'manual') this.store.recordManualCreation(record.cacheName, createTime);
    return toSnapshotView(record, this.clock());
  }

  /** Pins a snapshot's status (no automatic transition afterwards). */
  setStatus(name: string, status: string): void {
    const record = this.store.find(name);
    if (!record) throw new Error(`No snapshot named ${name}`);
    this.store.setStatus(record, status, undefined);
  }

  /** Makes a snapshot vanish without a Delete call (as when someone deletes it elsewhere mid-creation). */
  remove(name: string): void {
    if (!this.store.remove(name)) throw new Error(`No snapshot named ${name}`);
  }

  /** Every snapshot in insertion order, statuses as of the clock. */
  list(): EmulatorSnapshot[] {
    const now = this.clock();
    return Array.from(this.store.all(), (record) => toSnapshotView(record, now));
  }

  private availableAtOf(
    status: string,
    createTime: Date,
    availableAt: Date | null | undefined,
  ): Date | undefined {
    if (status !== 'creating' || availableAt === null) return undefined;
    return availableAt ?? new Date(createTime.getTime() + this.rules.completionMs);
  }
}
