import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { PolicyStore } from '#lib/policy/policy-store';
import type { NewestSnapshotSummary } from '#lib/policy/types';
import type { TargetTable } from '#lib/targets/target-table';
import { type CoverageReport, type CoveringPolicy, computeCoverage } from './coverage';
import type { FleetSnapshot } from './types';

export interface CoverageDeps {
  readonly policies: Pick<PolicyStore, 'listAll'>;
  readonly targets: { readonly table: Pick<TargetTable, 'listByPolicy'> };
}

function keepNewest(
  newest: Map<string, string>,
  cacheName: string,
  summary: NewestSnapshotSummary | undefined,
) {
  if (summary === undefined) return;
  const known = newest.get(cacheName);
  if (known === undefined || known < summary.takenAt) newest.set(cacheName, summary.takenAt);
}

/**
 * The coverage of every cache of `fleet` as the stores say now (docs/architecture.md, "Coverage"): each valid
 * policy with its stored state, a `targets` policy with its ACTIVE targets as enrolled (one Query each), and
 * per cache the time of its newest available snapshot (the recovery point its newest `newestSnapshot`
 * summary records, over every policy and target on it, RETIRED ones included: their snapshots are kept).
 * Reads only; enrolment is reconcile's and policy sync's.
 */
export async function readCoverage(deps: CoverageDeps, fleet: FleetSnapshot): Promise<CoverageReport> {
  const covering: CoveringPolicy[] = [];
  const newest = new Map<string, string>();
  for await (const item of deps.policies.listAll()) {
    const parsed = validatePolicy(item);
    if (!parsed.ok) continue;
    const { policy } = parsed;
    const { view } = readOrchestratorAttributes(item);
    if (policy.targets === undefined) {
      keepNewest(newest, policy.cacheName, view.newestSnapshot);
      covering.push({ policy, state: view.state });
      continue;
    }
    const active: string[] = [];
    for await (const target of deps.targets.table.listByPolicy(policy.policyId)) {
      if (target.state === 'ACTIVE') active.push(target.cacheName);
      keepNewest(newest, target.cacheName, target.newestSnapshot);
    }
    covering.push({ policy, state: view.state, targets: active });
  }
  return computeCoverage({ fleet, policies: covering, newestAvailableAt: newest });
}
