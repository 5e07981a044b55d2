import type { CacheInfo } from '#lib/snapshots/snapshot-gateway';

/** Why a cache's tags could not be read: the fault's wire code and message. */
export interface TagsError {
  readonly code: string;
  readonly message: string;
}

/**
 * One serverless cache of the fleet, as discovery found it. `tags` is undefined exactly when they could
 * not be read (`tagsError` says why): such a cache is never treated as untagged (lib/fleet/match-selector.ts).
 */
export type FleetCache = CacheInfo &
  (
    | { readonly tags: Readonly<Record<string, string>>; readonly tagsError?: undefined }
    | { readonly tags: undefined; readonly tagsError: TagsError }
  );

/** Every serverless cache of the account and region at one moment, with its tags where they could be read. */
export interface FleetSnapshot {
  readonly caches: readonly FleetCache[];
}
