import { groupBy } from '#lib/collections';
import { selectPrunable } from '#lib/lifecycle/retention';
import { logger, METRIC, recordMetric } from '#lib/observability';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { RetentionRule } from '#lib/policy/types';
import { runFields } from '#lib/runs/report-outcome';
import type { RunRecord } from '#lib/runs/types';
import { type ExportDeps, objectsOf } from './deps';
import { listDeploymentExports, type MarkedObject } from './export-objects';
import type { BucketRef } from './object-store';

/** The prefix every snapshot name of a target starts with: the name without `<yyyymmdd>-<hhmm>-<hash>`. */
export function targetPrefixOf(snapshotName: string): string {
  return snapshotName.replace(/\d{8}-\d{4}-[0-9a-f]{8}$/, '');
}

/** One export in a bucket: the snapshot's slot (what retention orders by) and every object it wrote. */
interface BucketExport {
  readonly slot: string;
  readonly objects: readonly MarkedObject[];
}

/**
 * The exports of the run's target in `bucket` that carry this deployment's mark for the run's policy and
 * cache (the tags, never the key: lib/exports/export-objects.ts), grouped by export.
 */
async function exportsOfTarget(deps: ExportDeps, bucket: BucketRef, run: RunRecord): Promise<BucketExport[]> {
  const objects = objectsOf(deps.exports, run);
  const prefix = targetPrefixOf(run.snapshotName);
  const marked = await listDeploymentExports(objects, bucket, prefix, deps.settings.deploymentName);
  const mine = marked.filter(
    (object) => object.mark.policyId === run.policyId && object.mark.cacheName === run.cacheName,
  );
  return [...groupBy(mine, (object) => `${object.mark.slot}|${object.mark.kind}`).values()].map((group) => ({
    slot: group[0]?.mark.slot ?? '',
    objects: group,
  }));
}

/**
 * Applies `rule` to the exported objects of the run's target in one bucket: the exports beyond `maxCount`
 * or older than `maxAgeDays` (by their snapshot's slot), never the newest `minCount`, have their objects
 * deleted. Only objects carrying this deployment's mark for this policy and cache are candidates: anyone
 * else's objects, untagged ones and other deployments' are never touched. Returns the objects deleted.
 */
async function pruneBucket(deps: ExportDeps, bucket: BucketRef, run: RunRecord, rule: RetentionRule) {
  let deleted = 0;
  for (const old of selectPrunable(await exportsOfTarget(deps, bucket, run), rule, deps.clock())) {
    for (const { object } of old.objects) {
      await objectsOf(deps.exports, run).deleteObject(object);
      deleted += 1;
      logger.info('exported object deleted by retention', {
        outcome: 'EXPORT_PRUNED',
        ...runFields(run),
        bucket: object.bucket,
        key: object.key,
        exportSlot: old.slot,
      });
    }
  }
  return deleted;
}

/**
 * Export retention (docs/architecture.md, "Exports") for the target of a run whose export just ended: the
 * policy's `export.retention` in the export bucket and in the replica bucket. Run once per export, so its
 * cost (one listing and one GetObjectTagging per kept object) follows the exports, not the ticks. A failure
 * is logged and counted (PruneFailures) and never fails the export: the next export prunes again.
 */
export async function applyExportRetention(deps: ExportDeps, run: RunRecord): Promise<number> {
  const exported = run.export;
  if (exported === undefined) return 0;
  const item = await deps.policies.get(run.policyId);
  const parsed = item && validatePolicy(item);
  const rule = parsed?.ok ? parsed.policy.export?.retention : undefined;
  if (rule === undefined) return 0;
  const buckets: BucketRef[] = [
    { bucket: exported.bucket, region: exported.region },
    ...(exported.status === 'REPLICATED' && exported.replica ? [exported.replica] : []),
  ];
  let deleted = 0;
  for (const bucket of buckets) {
    try {
      deleted += await pruneBucket(deps, { bucket: bucket.bucket, region: bucket.region }, run, rule);
    } catch (error) {
      recordMetric(METRIC.PruneFailures);
      logger.error('export retention failed; the next export of the target prunes again', {
        ...runFields(run),
        bucket: bucket.bucket,
        error,
      });
    }
  }
  return deleted;
}
