/**
 * Whose a snapshot is, by its tags (docs/architecture.md, "Snapshot names and managed tags"; the fleet's
 * deployment identity): a restore only ever reads this deployment's snapshots.
 */
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';

/** The deployment identity tag (issue 11) every snapshot of a deployment carries: its stack name. */
export const DEPLOYMENT_TAG = 'snapshot-orchestrator-deployment';

export type SnapshotOwner =
  /** Made by the deployment named. */
  | { readonly kind: 'deployment'; readonly deployment: string }
  /**
   * Made by the orchestrator before snapshots carried the deployment tag: it belongs to the deployment
   * whose run record of this policy and slot names it.
   */
  | { readonly kind: 'legacy'; readonly policyId: string; readonly slot: string }
  /** Not the orchestrator's (no managed-by tag, or one without policy and slot). */
  | { readonly kind: 'unmanaged' };

/** The owner a snapshot's tags name. */
export function ownerOf(tags: Readonly<Record<string, string>>): SnapshotOwner {
  if (tags[MANAGED_TAGS.managedBy] !== MANAGED_BY_VALUE) return { kind: 'unmanaged' };
  const deployment = tags[DEPLOYMENT_TAG];
  if (deployment !== undefined) return { kind: 'deployment', deployment };
  const policyId = tags[MANAGED_TAGS.policyId];
  const slot = tags[MANAGED_TAGS.slot];
  if (policyId === undefined || slot === undefined) return { kind: 'unmanaged' };
  return { kind: 'legacy', policyId, slot };
}
