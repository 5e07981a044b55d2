import { placementOf } from '#lib/placements/placement';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import { MANAGED_TAGS, managedTags } from '#lib/snapshots/snapshot-gateway';
import type { RunFault } from './after-fault';
import { asServiceError } from './create-call';
import type { SchedulerDeps, WorkItem } from './deps';

/** ElastiCache's limit of user tags on one resource (a snapshot here). */
export const MAX_TAGS_PER_RESOURCE = 50;

const MANAGED_KEYS: ReadonlySet<string> = new Set(Object.values(MANAGED_TAGS));

/** The cache's own tags a snapshot may carry: not `aws:` keys (reserved by AWS), not the orchestrator's. */
export function copyableCacheTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags).filter(([key]) => !key.toLowerCase().startsWith('aws:') && !MANAGED_KEYS.has(key)),
  );
}

/** The snapshot's tags, or the fault that stops its Create. */
export type SnapshotTags =
  | { readonly tags: Record<string, string>; readonly fault?: undefined }
  | { readonly fault: RunFault };

/**
 * The tags of the run's snapshot: with `copyCacheTags`, the cache's own (copyableCacheTags), then the
 * policy's `tags`, then the managed tags and the keep tag; a later set wins a key. More than
 * MAX_TAGS_PER_RESOURCE in all is a terminal TooManyTags fault naming the counts: the run ends FAILED
 * before any Create, rather than a snapshot without the tags the operator asked for, or with some dropped
 * at random (docs/architecture.md, "Snapshot names and managed tags"). Reading the cache's tags failing is
 * that call's fault (a throttle is transient: a durable retry); a cache that is gone gets no copied tags,
 * and its Create then fails as not found.
 */
export async function snapshotTagsFor(
  deps: Pick<SchedulerDeps, 'placements' | 'settings'>,
  { run, policy }: WorkItem,
): Promise<SnapshotTags> {
  const mark = { deployment: deps.settings.deploymentName, policyId: run.policyId, slot: run.slot };
  const managed = {
    ...managedTags(mark),
    ...(run.keep ? { [MANAGED_TAGS.keep]: 'true' } : {}),
  };
  if (!policy.copyCacheTags) return { tags: { ...policy.tags, ...managed } };
  let copied: Record<string, string>;
  try {
    const gateway = deps.placements.snapshots(placementOf(run));
    const cache = await gateway.getCache(run.cacheName);
    if (!cache) return { tags: { ...policy.tags, ...managed } };
    if (!cache.arn) throw new Error(`DescribeServerlessCaches gave no ARN for cache ${run.cacheName}`);
    copied = copyableCacheTags(await gateway.listTags(cache.arn));
  } catch (error) {
    const fault = asServiceError(error);
    return {
      fault: {
        code: fault.code,
        message: `reading the tags of cache ${run.cacheName} to copy them: ${fault.message}`,
        faultClass: fault.faultClass,
      },
    };
  }
  const tags = { ...copied, ...policy.tags, ...managed };
  const total = Object.keys(tags).length;
  if (total <= MAX_TAGS_PER_RESOURCE) return { tags };
  const fromPolicy = Object.keys(policy.tags).length;
  const fromCache = Object.keys(copied).filter((key) => !Object.hasOwn(policy.tags, key)).length;
  const message =
    `the snapshot would carry ${total} tags (${Object.keys(managed).length} managed, ${fromPolicy} from the policy, ` +
    `${fromCache} copied from cache ${run.cacheName} by copyCacheTags); ElastiCache allows ${MAX_TAGS_PER_RESOURCE} ` +
    'per resource. Nothing was created: remove tags from the cache or the policy, or set copyCacheTags to false';
  return { fault: { code: OUTCOME_CODE.TooManyTags, message, faultClass: 'terminal' } };
}
