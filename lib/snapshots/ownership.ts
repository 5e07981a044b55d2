import { MANAGED_BY_VALUE, MANAGED_TAGS, type SnapshotMark } from './snapshot-gateway';

/**
 * Whether a snapshot is the one a run of this deployment made: `legacy` when it carries no deployment tag
 * (made before deployments were told apart) and is claimed only through the run record naming it.
 */
export type Ownership =
  | { readonly owned: true; readonly legacy: boolean }
  | { readonly owned: false; readonly reason: string };

/**
 * Judges a snapshot's tags against the mark a run of `mark.deployment` gives it (docs/architecture.md,
 * "Deployment identity"): ours when it is the orchestrator's (`managed-by`), of this deployment, policy and
 * slot. A snapshot without the deployment tag was made before deployments were told apart: it is ours only
 * through the run record asking (policy and slot must match), and `legacy` says so. Otherwise the reason
 * says whose it is: not the orchestrator's, another deployment's (named), another policy's or slot's.
 */
export function judgeOwnership(tags: Readonly<Record<string, string>>, mark: SnapshotMark): Ownership {
  if (tags[MANAGED_TAGS.managedBy] !== MANAGED_BY_VALUE) {
    return { owned: false, reason: `not made by the orchestrator (no ${MANAGED_TAGS.managedBy} tag)` };
  }
  const deployment = tags[MANAGED_TAGS.deployment];
  if (deployment !== undefined && deployment !== mark.deployment) {
    return { owned: false, reason: `made by another deployment of the orchestrator, "${deployment}"` };
  }
  const policyId = tags[MANAGED_TAGS.policyId];
  if (policyId !== mark.policyId) {
    return { owned: false, reason: `made for another policy, "${policyId ?? '(none)'}"` };
  }
  const slot = tags[MANAGED_TAGS.slot];
  if (slot !== mark.slot) return { owned: false, reason: `made for another slot, ${slot ?? '(none)'}` };
  return { owned: true, legacy: deployment === undefined };
}
