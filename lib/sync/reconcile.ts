import { logger } from '../observability';
import type { PolicyItem } from '../policy/types';
import { isInSync, type SyncDeps, syncPolicyItem } from './sync-policy';

export interface ReconcileSummary {
  readonly scanned: number;
  readonly synced: number;
  readonly failed: number;
}

/** An INVALID policy whose only fault may have healed on its own (the cache was created since). */
function awaitsCache(item: PolicyItem): boolean {
  return item.state === 'INVALID' && (item.stateReason ?? '').startsWith('cacheName: no serverless cache');
}

/**
 * Heals what the stream missed: every policy item whose orchestrator attributes do not reflect its
 * operator attributes (or that waits for its cache to exist) is synced again. Runs on its own schedule;
 * reads the whole table, which a tick never does. One item's failure is logged and the others go on.
 */
export async function reconcilePolicies(deps: SyncDeps): Promise<ReconcileSummary> {
  let scanned = 0;
  let synced = 0;
  let failed = 0;
  for await (const item of deps.policies.listAll()) {
    scanned += 1;
    if (isInSync(item) && !awaitsCache(item)) continue;
    try {
      const outcome = await syncPolicyItem(deps, item, true);
      if (outcome.action === 'written') synced += 1;
    } catch (error) {
      failed += 1;
      logger.error('could not sync the policy; the next reconcile tries again', {
        policyId: item.policyId,
        error,
      });
    }
  }
  const summary = { scanned, synced, failed };
  logger.info('reconcile finished', summary);
  return summary;
}
