import { cacheKey, type Placement } from '#lib/placements/placement';
import type { Policy, PolicyState } from '#lib/policy/types';
import { isOptedOut, judgeFleet, OPT_OUT_TAG, type SelectorVerdict } from './match-selector';
import type { FleetCache, FleetSnapshot } from './types';

export type CoverageStatus = 'PROTECTED' | 'UNPROTECTED' | 'EXCLUDED';

/** One cache in `cache-snapshots coverage` (docs/architecture.md, "Coverage"): the contract's fields. */
export interface CoverageRow {
  readonly cacheName: string;
  /** The cache's account and region (docs/architecture.md, "Accounts and regions"). */
  readonly account: string;
  readonly region: string;
  readonly engine: string | null;
  readonly status: CoverageStatus;
  /** Ids of the ACTIVE policies that have the cache as a target, sorted. */
  readonly policies: readonly string[];
  /** ISO time of its newest snapshot that exists and is available, or null. */
  readonly newestAvailableAt: string | null;
  /** Why it is UNPROTECTED or EXCLUDED; null when PROTECTED. */
  readonly reason: string | null;
}

/** A valid policy, its stored state, and the caches it has as ACTIVE targets. */
export interface CoveringPolicy {
  readonly policy: Policy;
  /** Only an ACTIVE policy protects a cache. */
  readonly state: PolicyState | undefined;
  /** Its ACTIVE targets' cache names as enrolled; absent: the caches it chooses in this fleet now. */
  readonly targets?: readonly string[];
}

export interface CoverageInput {
  /** Where `fleet` is: its rows carry this account and region. */
  readonly placement: Placement;
  readonly fleet: FleetSnapshot;
  /** The policies of this placement. */
  readonly policies: readonly CoveringPolicy[];
  /** Per `cacheKey(placement, cacheName)`, the ISO time of its newest available snapshot (absent: null). */
  readonly newestAvailableAt?: ReadonlyMap<string, string>;
}

/** Something an operator should see next to the table, e.g. an ACTIVE selector that chooses nothing. */
export interface CoverageWarning {
  readonly policyId: string;
  readonly message: string;
}

export interface CoverageReport {
  /** One row per cache of the fleet, by cache name. */
  readonly rows: readonly CoverageRow[];
  readonly warnings: readonly CoverageWarning[];
}

interface Judged {
  readonly entry: CoveringPolicy;
  readonly verdicts: ReadonlyMap<string, SelectorVerdict>;
  readonly targets: ReadonlySet<string>;
}

function judge(entry: CoveringPolicy, caches: readonly FleetCache[]): Judged {
  const verdicts = new Map(
    judgeFleet(entry.policy, caches).map(({ cache, verdict }) => [cache.name, verdict]),
  );
  const chosen = [...verdicts].filter(([, verdict]) => verdict.verdict === 'selected').map(([name]) => name);
  return { entry, verdicts, targets: new Set(entry.targets ?? chosen) };
}

const idsOf = (judged: readonly Judged[]) => judged.map(({ entry }) => entry.policy.policyId).join(', ');

/** Why no ACTIVE policy protects `cache`, and whether that is an exclusion. */
function explain(cache: FleetCache, active: readonly Judged[], inactive: readonly Judged[]) {
  const verdictOf = (judged: Judged) => judged.verdicts.get(cache.name);
  const having = (list: readonly Judged[], kind: SelectorVerdict['verdict']) =>
    list.filter((judged) => verdictOf(judged)?.verdict === kind);
  const reasons = (list: readonly Judged[]) =>
    list.map((judged) => {
      const verdict = verdictOf(judged);
      return `${judged.entry.policy.policyId}: ${verdict === undefined || verdict.verdict === 'selected' ? '' : verdict.reason}`;
    });
  const excluded = reasons(having(active, 'excluded'));
  if (excluded.length === 0 && cache.tags !== undefined && isOptedOut(cache.tags)) {
    excluded.push(`opted out: tagged ${OPT_OUT_TAG} = ${cache.tags[OPT_OUT_TAG]}`);
  }
  const pending = having(active, 'selected');
  const notes = [
    ...(pending.length > 0 ? [`chosen by ${idsOf(pending)}, not enrolled yet`] : []),
    ...reasons(having(active, 'undetermined')),
    ...having(inactive, 'selected').map(
      ({ entry }) => `${entry.policy.policyId} would cover it but is ${entry.state ?? 'not synced yet'}`,
    ),
  ];
  if (excluded.length > 0) return { status: 'EXCLUDED', reason: [...excluded, ...notes].join('; ') } as const;
  const reason = notes.length > 0 ? notes.join('; ') : 'no ACTIVE policy names or selects it';
  return { status: 'UNPROTECTED', reason } as const;
}

/**
 * The coverage of every cache of the fleet (docs/architecture.md, "Coverage"). PROTECTED: an ACTIVE
 * policy has it as a target (an explicit `cacheName` policy counts, even on an opted-out cache).
 * EXCLUDED: no ACTIVE policy has it, and an ACTIVE selector would have chosen it but an exclusion
 * removed it, or it carries the opt-out tag (an operator's "not this one": it must not count as
 * unprotected). UNPROTECTED otherwise, with the reason (e.g. a selector that cannot read its tags,
 * a policy that is DISABLED). Warnings: each ACTIVE selector that chooses no cache. Pure; one placement
 * (lib/fleet/placed-coverage.ts puts placements together).
 */
export function computeCoverage(input: CoverageInput): CoverageReport {
  const caches = [...input.fleet.caches].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const judged = input.policies.map((entry) => judge(entry, caches));
  const active = judged.filter(({ entry }) => entry.state === 'ACTIVE');
  const inactive = judged.filter(({ entry }) => entry.state !== 'ACTIVE');
  const rows = caches.map((cache): CoverageRow => {
    const base = {
      cacheName: cache.name,
      account: input.placement.account,
      region: input.placement.region,
      engine: cache.engine ?? null,
      newestAvailableAt: input.newestAvailableAt?.get(cacheKey(input.placement, cache.name)) ?? null,
    };
    const protecting = active.filter(({ targets }) => targets.has(cache.name));
    if (protecting.length > 0) {
      const policies = protecting.map(({ entry }) => entry.policy.policyId).sort();
      return { ...base, status: 'PROTECTED', policies, reason: null };
    }
    return { ...base, ...explain(cache, active, inactive), policies: [] };
  });
  return { rows, warnings: active.flatMap((judged) => matchesNothing(judged, input.placement)) };
}

function matchesNothing({ entry, verdicts }: Judged, placement: Placement): CoverageWarning[] {
  if (entry.policy.targets === undefined) return [];
  const kinds = [...verdicts.values()].map((verdict) => verdict.verdict);
  if (kinds.includes('selected')) return [];
  const unknown = kinds.filter((kind) => kind === 'undetermined').length;
  const message =
    `targets: chooses none of the ${kinds.length} caches of account ${placement.account} in region ${placement.region}` +
    (unknown > 0 ? ` (${unknown} whose tags could not be read may match)` : '');
  return [{ policyId: entry.policy.policyId, message }];
}
