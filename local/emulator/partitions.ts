/**
 * The emulated accounts and regions: each (account, region) keeps its own caches, snapshots and API rate
 * limit, as the real service does, created empty the first time a request or a control names it.
 */
import { RateLimiter } from './faults/rate-limiter';
import type { Partition } from './model/arns';
import { CacheOperations, type CacheRules } from './model/cache-operations';
import { CacheRegistry } from './model/cache-registry';
import { SnapshotControls } from './model/snapshot-controls';
import { SnapshotOperations, type SnapshotRules } from './model/snapshot-operations';
import { SnapshotStore } from './model/snapshot-store';
import type { Random } from './prng';

/** One account in one region: its state, the operations on it and its rate limit. */
export class PartitionState {
  readonly caches: CacheRegistry;
  readonly store = new SnapshotStore();
  readonly snapshots: SnapshotOperations;
  readonly snapshotControls: SnapshotControls;
  readonly cacheOperations: CacheOperations;
  readonly limiter = new RateLimiter();
  /** True once a control set this partition's own limit; the emulator-wide default no longer applies. */
  ownRateLimit = false;

  constructor(
    readonly partition: Partition,
    clock: () => Date,
    random: Random,
    rules: SnapshotRules & CacheRules,
  ) {
    this.caches = new CacheRegistry(partition, clock, random);
    this.snapshots = new SnapshotOperations(partition, clock, this.caches, this.store, rules);
    this.snapshotControls = new SnapshotControls(partition, clock, this.caches, this.store, rules);
    this.cacheOperations = new CacheOperations(
      partition,
      clock,
      this.caches,
      this.store,
      this.snapshots,
      rules,
    );
  }
}

export class PartitionSet {
  private readonly byKey = new Map<string, PartitionState>();
  private defaultRateLimit: number | undefined;

  constructor(
    private readonly clock: () => Date,
    private readonly random: Random,
    private readonly rules: SnapshotRules & CacheRules,
  ) {}

  /** The partition of `accountId` in `region`, created empty on first use. */
  get(accountId: string, region: string): PartitionState {
    const key = `${accountId}/${region}`;
    let state = this.byKey.get(key);
    if (!state) {
      state = new PartitionState({ accountId, region }, this.clock, this.random, this.rules);
      state.limiter.setLimit(this.defaultRateLimit);
      this.byKey.set(key, state);
    }
    return state;
  }

  /** Every partition named so far, in the order they were first used. */
  all(): PartitionState[] {
    return [...this.byKey.values()];
  }

  /** The limit of every partition that has none of its own, now and later; undefined lifts it. */
  setDefaultRateLimit(requestsPerSecond: number | undefined): void {
    this.defaultRateLimit = requestsPerSecond;
    for (const state of this.byKey.values()) {
      if (!state.ownRateLimit) state.limiter.setLimit(requestsPerSecond);
    }
  }
}
