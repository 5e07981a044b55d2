import { runBounded } from '#lib/concurrency';
import { SnapshotServiceError } from '#lib/errors';
import { logger } from '#lib/observability';
import { OUTCOME_CODE } from '#lib/runs/outcome-codes';
import type { CacheInfo, SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import type { FleetCache, FleetSnapshot, TagsError } from './types';

export interface DiscoveryDeps {
  readonly snapshots: Pick<SnapshotGateway, 'listCaches' | 'listTags'>;
  /**
   * Most tag listings in flight at once. Every call also waits for the process's adaptive limit (the
   * ElastiCache client is built under it, lib/runtime.ts), so discovery slows down with the rest of the
   * process when ElastiCache throttles.
   */
  readonly concurrency: number;
}

function tagsErrorOf(error: unknown): TagsError {
  if (error instanceof SnapshotServiceError) return { code: error.code, message: error.message };
  return {
    code: OUTCOME_CODE.InternalError,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The cache without tags, and the warning line that says why (a failure is never silent). */
function unreadable(cache: CacheInfo, tagsError: TagsError, error?: unknown): FleetCache {
  logger.warn('could not read the tags of a cache; selectors that depend on them leave it as it was', {
    outcome: 'TagsUnreadable',
    cacheName: cache.name,
    code: tagsError.code,
    error: error ?? tagsError.message,
  });
  return { ...cache, tags: undefined, tagsError };
}

/** One cache with its tags, or with `tagsError` and a warning line when they cannot be read. */
async function withTags(
  deps: { readonly snapshots: Pick<SnapshotGateway, 'listTags'> },
  cache: CacheInfo,
): Promise<FleetCache> {
  if (cache.arn === undefined) {
    return unreadable(cache, { code: 'InvalidResponse', message: 'DescribeServerlessCaches gave no ARN' });
  }
  try {
    return { ...cache, tags: await deps.snapshots.listTags(cache.arn) };
  } catch (error) {
    return unreadable(cache, tagsErrorOf(error), error);
  }
}

/**
 * Every serverless cache of the account and region, with its tags: DescribeServerlessCaches page by page,
 * then ListTagsForResource per cache, at most `concurrency` at once. A cache listed twice (a cache created
 * while the pages were read) is kept once. A cache whose tags cannot be read is kept with `tagsError` and a
 * warning line, never as untagged (lib/fleet/match-selector.ts says what selectors make of it). A failed
 * cache listing throws its SnapshotServiceError: without the whole list nothing may be concluded (no cache
 * may be taken for deleted).
 */
export async function discoverCaches(deps: DiscoveryDeps): Promise<FleetSnapshot> {
  const listed = new Map<string, CacheInfo>();
  for (const cache of await deps.snapshots.listCaches()) {
    if (!listed.has(cache.name)) listed.set(cache.name, cache);
  }
  const infos = [...listed.values()];
  const caches: FleetCache[] = [];
  await runBounded(
    infos.map((info, index) => ({ info, index })),
    deps.concurrency,
    async ({ info, index }) => {
      caches[index] = await withTags(deps, info);
    },
  );
  return { caches };
}
