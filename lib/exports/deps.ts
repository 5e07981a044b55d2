import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { LifecycleDeps } from '#lib/lifecycle/deps';
import { type PlacementRef, placementOf } from '#lib/placements/placement';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { ObjectStore } from './object-store';

/** How exports are followed; `EXPORT_DEFAULTS` are the deployed values, tests shrink them. */
export interface ExportSettings {
  /** The orchestrator's own region: that of the snapshots of runs that name none (recorded before issue 17). */
  readonly region: string;
  /** How often an export in progress is looked at (one DescribeServerlessCacheSnapshots each time). */
  readonly pollMs: number;
  /** ExportServerlessCacheSnapshot calls at most per snapshot (an export that ends without objects is retried). */
  readonly maxAttempts: number;
  /** Nothing of an export (call, wait, copy) is retried this long after it was decided: it ends FAILED. */
  readonly giveUpAfterMs: number;
}

/**
 * Deployed values. An export of a large cache takes tens of minutes: a look every 5 minutes keeps the calls
 * few; 5 calls and 24 hours bound every retry (a busy snapshot, a transient S3 fault, a copy in parts).
 */
export const EXPORT_DEFAULTS: Omit<ExportSettings, 'region'> = {
  pollMs: 5 * MINUTE_MS,
  maxAttempts: 5,
  giveUpAfterMs: 24 * HOUR_MS,
};

/** What a tick needs to export: S3 and the settings. Absent from a tick's dependencies: no export is made. */
export interface ExportContext {
  /** S3 in the orchestrator's own account. */
  readonly objects: ObjectStore;
  /**
   * S3 on the credentials of a placement's account (the member role's in another account: the export bucket
   * of a member account's cache is that account's). Absent: `objects` serves every account (one store
   * holding every bucket, as the in-memory one of unit tests).
   */
  readonly objectsIn?: (placement: PlacementRef) => ObjectStore;
  readonly settings: ExportSettings;
}

/** The S3 of the account a run's (or a policy's) cache is in: where its export bucket is reached from. */
export function objectsOf<Store extends Partial<ObjectStore>>(
  context: { readonly objects: Store; readonly objectsIn?: ((placement: PlacementRef) => Store) | undefined },
  owner: PlacementRef,
): Store {
  return context.objectsIn?.(placementOf(owner)) ?? context.objects;
}

/**
 * What export steps touch: the lifecycle's dependencies (runs, ElastiCache, time), the export context, and
 * policy reads (export retention reads the rule of the policy whose export ended).
 */
export interface ExportDeps extends LifecycleDeps {
  readonly policies: Pick<PolicyStore, 'get'>;
  readonly exports: ExportContext;
}
