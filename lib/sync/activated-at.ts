import { toIso } from '#lib/clock';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem, PolicyState } from '#lib/policy/types';

/**
 * When the policy became ACTIVE, for a sync verdict of `state` on `item`: now when it becomes ACTIVE, kept
 * while it stays ACTIVE, none otherwise (a later activation records its own time). An item ACTIVE since
 * before `activatedAt` existed counts from its last sync, the best bound it holds. The recovery point of a
 * policy with no snapshot yet is measured from it (report-rpo.ts), so re-syncs never reset it.
 */
export function activatedAtFor(item: PolicyItem, state: PolicyState, now: Date): string | undefined {
  if (state !== 'ACTIVE') return undefined;
  const { view } = readOrchestratorAttributes(item);
  if (view.state !== 'ACTIVE') return toIso(now);
  return view.activatedAt ?? view.syncedAt ?? toIso(now);
}
