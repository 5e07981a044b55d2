import { HOUR_MS, MINUTE_MS } from '#lib/clock';
import type { LifecycleDeps } from '#lib/lifecycle/deps';
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
  readonly objects: ObjectStore;
  readonly settings: ExportSettings;
}

/**
 * What export steps touch: the lifecycle's dependencies (runs, ElastiCache, time), the export context, and
 * policy reads (export retention reads the rule of the policy whose export ended).
 */
export interface ExportDeps extends LifecycleDeps {
  readonly policies: Pick<PolicyStore, 'get'>;
  readonly exports: ExportContext;
}
