/**
 * Scratch caches: the serverless caches a restore test restores a snapshot into, then deletes
 * (docs/architecture.md, "Restore tests"). Their names and tags say whose they are, so that IAM lets the
 * orchestrator create and delete these caches and no other, and a later tick can find one left behind.
 */
import { createHash } from 'node:crypto';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';

/**
 * Longest serverless cache name. AWS's API reference (CreateServerlessCache) states no length for
 * ServerlessCacheName; 40 is the limit libraries validating ahead of the service check (CDK's
 * ServerlessCache construct: "must be between 1 and 40 characters") and the emulator enforces
 * (local/emulator/model/input-rules.ts). Scratch names stay far below it.
 */
export const MAX_CACHE_NAME_LENGTH = 40;

/** Every scratch cache name starts with this: IAM scopes CreateServerlessCache and DeleteServerlessCache to it. */
export const SCRATCH_CACHE_PREFIX = 'rt-';

/** 16 hex characters (64 bits): two restore tests of one deployment never share a name. */
const HASH_LENGTH = 16;

/** Tag keys a scratch cache carries besides `managed-by` and the policy and slot. */
export const SCRATCH_TAGS = {
  /** The deployment (stack name) whose restore test made the cache: IAM's condition on create and delete. */
  restoreTest: 'snapshot-orchestrator-restore-test',
  /** The cache whose snapshot was restored. */
  sourceCache: 'snapshot-orchestrator-source-cache',
  /** The fleet's opt-out tag (docs/architecture.md, "Targets"): a scratch cache is never a target itself. */
  exclude: 'snapshot-orchestrator-exclude',
} as const;

/** One restore test: a target's slot in one deployment. */
export interface ScratchCacheKey {
  readonly deployment: string;
  readonly policyId: string;
  readonly cacheName: string;
  /** The restore-test slot, UTC ISO-8601 with milliseconds (as in run records). */
  readonly slot: string;
}

/**
 * The scratch cache name of one restore test: `rt-` and 16 hex characters of a sha256 over the deployment,
 * policy, cache and slot (19 characters, a valid serverless cache name). Deterministic, so a retried
 * Create of the same test asks for the same cache, and `already-exists` means "ours, made earlier".
 */
export function scratchCacheName(key: ScratchCacheKey): string {
  const hash = createHash('sha256')
    .update([key.deployment, key.policyId, key.cacheName, key.slot].join('\n'))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  return `${SCRATCH_CACHE_PREFIX}${hash}`;
}

/** The tags a scratch cache is created with (tag on create: the IAM condition needs them in the request). */
export function scratchCacheTags(key: ScratchCacheKey): Record<string, string> {
  return {
    [MANAGED_TAGS.managedBy]: MANAGED_BY_VALUE,
    [SCRATCH_TAGS.restoreTest]: key.deployment,
    [MANAGED_TAGS.policyId]: key.policyId,
    [MANAGED_TAGS.slot]: key.slot,
    [SCRATCH_TAGS.sourceCache]: key.cacheName,
    [SCRATCH_TAGS.exclude]: 'true',
  };
}

/**
 * Whether a cache's tags make it a scratch cache of `deployment`: the only caches the orchestrator may
 * delete (IAM allows DeleteServerlessCache only on caches tagged so).
 */
export function isScratchCacheOf(tags: Readonly<Record<string, string>>, deployment: string): boolean {
  return tags[MANAGED_TAGS.managedBy] === MANAGED_BY_VALUE && tags[SCRATCH_TAGS.restoreTest] === deployment;
}
