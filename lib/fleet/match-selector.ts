import type { Policy, TargetSelector } from '#lib/policy/types';
import { firstMatchingGlob } from './glob';
import type { FleetCache } from './types';

/** A cache tagged `snapshot-orchestrator-exclude = true` is never chosen by a selector (any case of `true`). */
export const OPT_OUT_TAG = 'snapshot-orchestrator-exclude';

/**
 * What a selector makes of one cache, with the reason when it does not choose it:
 * - `selected`: the cache is a target;
 * - `not-matched`: a name, engine or tag condition does not hold;
 * - `excluded`: it would have been chosen, but `excludeNames`, `excludeTags` or the opt-out tag removed it
 *   (an `excludeNames` match is certain even when the cache's tags could not be read);
 * - `undetermined`: its tags could not be read and the answer depends on them. Neither enrol nor retire
 *   such a cache: keep what was decided before (a failed read never retires a target).
 */
export type SelectorVerdict =
  | { readonly verdict: 'selected' }
  | { readonly verdict: 'not-matched' | 'excluded' | 'undetermined'; readonly reason: string };

const SELECTED: SelectorVerdict = { verdict: 'selected' };

function listed(values: readonly string[]): string {
  return values.join(', ');
}

/** Whether the cache carries `key` with `value` (`*`: any value). */
function carries(tags: Readonly<Record<string, string>>, key: string, value: string): boolean {
  return Object.hasOwn(tags, key) && (value === '*' || tags[key] === value);
}

/** Whether `tags` opt the cache out of every selector. */
export function isOptedOut(tags: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(tags, OPT_OUT_TAG) && tags[OPT_OUT_TAG]?.trim().toLowerCase() === 'true';
}

/** The verdict of the tag conditions and tag exclusions on known `tags`; undefined when they let it pass. */
function matchTags(
  selector: TargetSelector,
  tags: Readonly<Record<string, string>>,
): SelectorVerdict | undefined {
  for (const [key, value] of Object.entries(selector.tags)) {
    if (carries(tags, key, value)) continue;
    const found = Object.hasOwn(tags, key) ? `it has ${key} = ${tags[key]}` : `it has no tag ${key}`;
    return { verdict: 'not-matched', reason: `tags: wants ${key} = ${value}, ${found}` };
  }
  if (isOptedOut(tags)) {
    return { verdict: 'excluded', reason: `opted out: tagged ${OPT_OUT_TAG} = ${tags[OPT_OUT_TAG]}` };
  }
  const excluding = Object.entries(selector.excludeTags).find(([key, value]) => carries(tags, key, value));
  if (excluding === undefined) return undefined;
  return { verdict: 'excluded', reason: `excludeTags: tagged ${excluding[0]} = ${tags[excluding[0]]}` };
}

/**
 * Whether `selector` chooses `cache` (docs/architecture.md, "Targets"): one of `names` matches (default:
 * every name), its engine is one of `engines` (default: all), it carries every listed tag with that value
 * (`*`: any value); and it is not excluded by the opt-out tag, any of `excludeTags` or any of
 * `excludeNames`. Pure; each verdict but `selected` comes with a reason coverage can show.
 */
export function matchSelector(selector: TargetSelector, cache: FleetCache): SelectorVerdict {
  if (selector.names !== undefined && firstMatchingGlob(selector.names, cache.name) === undefined) {
    return { verdict: 'not-matched', reason: `names: matches none of ${listed(selector.names)}` };
  }
  const engine = cache.engine?.toLowerCase() ?? 'unknown';
  if (selector.engines !== undefined && !(selector.engines as readonly string[]).includes(engine)) {
    return { verdict: 'not-matched', reason: `engines: ${engine} is not one of ${listed(selector.engines)}` };
  }
  const byTags = cache.tags === undefined ? undefined : matchTags(selector, cache.tags);
  if (byTags !== undefined) return byTags;
  const glob = firstMatchingGlob(selector.excludeNames, cache.name);
  if (glob !== undefined) return { verdict: 'excluded', reason: `excludeNames: matches ${glob}` };
  if (cache.tags !== undefined) return SELECTED;
  return {
    verdict: 'undetermined',
    reason: `its tags could not be read (${cache.tagsError.code}: ${cache.tagsError.message})`,
  };
}

/** A cache and the verdict of one policy on it. */
export interface TargetVerdict {
  readonly cache: FleetCache;
  readonly verdict: SelectorVerdict;
}

/**
 * The verdict of `policy` on every cache of the fleet. A `cacheName` policy chooses exactly its cache
 * (the opt-out tag does not apply: naming a cache is an operator's explicit choice) and leaves every other
 * cache `not-matched`; a `targets` policy applies its selector to each.
 */
export function judgeFleet(policy: Policy, caches: readonly FleetCache[]): TargetVerdict[] {
  return caches.map((cache) => ({
    cache,
    verdict:
      policy.targets !== undefined
        ? matchSelector(policy.targets, cache)
        : cache.name === policy.cacheName
          ? SELECTED
          : { verdict: 'not-matched', reason: `cacheName: the policy names ${policy.cacheName}` },
  }));
}

/** The caches `policy` chooses among `caches`: its targets as of this listing. */
export function selectTargets(policy: Policy, caches: readonly FleetCache[]): FleetCache[] {
  return judgeFleet(policy, caches)
    .filter(({ verdict }) => verdict.verdict === 'selected')
    .map(({ cache }) => cache);
}
