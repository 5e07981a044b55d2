/**
 * Snapshot storage with the indexes the rules need, so no call scans every snapshot of the account:
 * by lowercase name (uniqueness), by cache (describe by cache), the snapshots per cache that may still be
 * `creating` (one backup at a time), and per cache the creation times of manual snapshots (24 h quota).
 */
import { type SnapshotRecord, snapshotStatusAt } from './records';

export type NewSnapshot = Omit<SnapshotRecord, 'key' | 'seq'>;

export class SnapshotStore {
  private readonly byKey = new Map<string, SnapshotRecord>();
  private readonly byCache = new Map<string, Map<string, SnapshotRecord>>();
  private readonly maybeCreating = new Map<string, Set<SnapshotRecord>>();
  private readonly manualCreations = new Map<string, number[]>();
  private manual = 0;
  private nextSeq = 0;

  /** Stores a snapshot after every other, replacing one of the same name (compared lowercase). */
  add(snapshot: NewSnapshot): SnapshotRecord {
    const record: SnapshotRecord = { ...snapshot, key: snapshot.name.toLowerCase(), seq: this.nextSeq++ };
    this.remove(record.key);
    this.byKey.set(record.key, record);
    const cacheKey = record.cacheName.toLowerCase();
    let ofCache = this.byCache.get(cacheKey);
    if (!ofCache) {
      ofCache = new Map();
      this.byCache.set(cacheKey, ofCache);
    }
    ofCache.set(record.key, record);
    if (record.snapshotType === 'manual') this.manual += 1;
    this.trackStatus(record);
    return record;
  }

  /** Removes a snapshot by name; the 24 h creation history keeps it, as the service's quota does. */
  remove(name: string): SnapshotRecord | undefined {
    const record = this.byKey.get(name.toLowerCase());
    if (!record) return undefined;
    const cacheKey = record.cacheName.toLowerCase();
    this.byKey.delete(record.key);
    this.byCache.get(cacheKey)?.delete(record.key);
    this.maybeCreating.get(cacheKey)?.delete(record);
    if (record.snapshotType === 'manual') this.manual -= 1;
    return record;
  }

  find(name: string): SnapshotRecord | undefined {
    return this.byKey.get(name.toLowerCase());
  }

  /** Every snapshot, in insertion order. */
  all(): Iterable<SnapshotRecord> {
    return this.byKey.values();
  }

  /** The snapshots of one cache, in insertion order. */
  ofCache(cacheName: string): Iterable<SnapshotRecord> {
    return this.byCache.get(cacheName.toLowerCase())?.values() ?? [];
  }

  get manualCount(): number {
    return this.manual;
  }

  /** Sets a stored status; call it for every status change so the in-flight index stays right. */
  setStatus(record: SnapshotRecord, status: string, availableAt: Date | undefined): void {
    record.status = status;
    record.availableAt = availableAt;
    this.trackStatus(record);
  }

  /** True when a snapshot of the cache is `creating` at `now`. */
  hasCreating(cacheName: string, now: Date): boolean {
    const candidates = this.maybeCreating.get(cacheName.toLowerCase());
    if (!candidates) return false;
    for (const record of candidates) {
      if (snapshotStatusAt(record, now) === 'creating') return true;
      candidates.delete(record);
    }
    return false;
  }

  recordManualCreation(cacheName: string, at: Date): void {
    const key = cacheName.toLowerCase();
    const times = this.manualCreations.get(key) ?? [];
    times.push(at.getTime());
    this.manualCreations.set(key, times);
  }

  /** Manual snapshots of the cache created after `since`; older entries are dropped on the way. */
  manualCreationsSince(cacheName: string, since: Date): number {
    const key = cacheName.toLowerCase();
    const recent = (this.manualCreations.get(key) ?? []).filter((time) => time > since.getTime());
    this.manualCreations.set(key, recent);
    return recent.length;
  }

  private trackStatus(record: SnapshotRecord): void {
    const cacheKey = record.cacheName.toLowerCase();
    if (record.status !== 'creating') {
      this.maybeCreating.get(cacheKey)?.delete(record);
      return;
    }
    const set = this.maybeCreating.get(cacheKey) ?? new Set<SnapshotRecord>();
    set.add(record);
    this.maybeCreating.set(cacheKey, set);
  }
}
