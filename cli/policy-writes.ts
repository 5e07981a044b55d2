import { type PolicyIssue, shorten } from '#lib/errors';
import { operatorAttributes, validatePolicy } from '#lib/policy/parse-policy';
import { ORCHESTRATOR_ATTRIBUTES, type PolicyItem, type PolicyState } from '#lib/policy/types';
import { readPeerIndex, replacePeer } from '#lib/sync/reconcile';
import { type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';
import { CliError } from './errors';

export { describeIssues } from '#lib/errors';

/** The verdict on one record of a policy file. */
export interface PolicyCheck {
  /** The policy id, or `record N` when the record has no usable id. */
  readonly label: string;
  readonly record: Record<string, unknown>;
  /** The policy id when the record is valid. */
  readonly policyId: string | undefined;
  readonly issues: readonly PolicyIssue[];
}

/**
 * Checks every record with validatePolicy, the code policy sync runs on the table, so a record that passes
 * here is not turned INVALID by the sync for its attributes (a missing cache is only known after the write).
 * A policy id that appears twice in one file is an issue too: the second write would replace the first.
 */
export function checkPolicies(records: readonly Record<string, unknown>[]): PolicyCheck[] {
  const seen = new Set<string>();
  return records.map((record, index) => {
    const result = validatePolicy(record);
    const id = typeof record.policyId === 'string' && record.policyId !== '' ? record.policyId : undefined;
    const issues = result.ok ? [] : [...result.issues];
    if (id !== undefined && seen.has(id))
      issues.push({ attribute: 'policyId', message: 'appears twice in the file' });
    if (id !== undefined) seen.add(id);
    const policyId = issues.length === 0 && result.ok ? result.policy.policyId : undefined;
    return { label: id === undefined ? `record ${index + 1}` : shorten(id), record, policyId, issues };
  });
}

/** What writing one policy did, and the state policy sync gave it. */
export interface PolicyWrite {
  readonly policyId: string;
  /** `unchanged`: the record equals the stored one; `stale`: someone edited it meanwhile (that edit wins). */
  readonly action: 'written' | 'unchanged' | 'stale';
  readonly state: PolicyState | undefined;
  readonly stateReason: string | undefined;
  readonly nextRunAt: string | undefined;
}

function orchestratorPart(item: PolicyItem | undefined): Record<string, unknown> {
  if (!item) return {};
  return Object.fromEntries(
    ORCHESTRATOR_ATTRIBUTES.flatMap((name) => (name in item ? [[name, item[name]]] : [])),
  );
}

/**
 * Writes one operator record and syncs it right away with syncPolicyItem (as the stream would), so `state`
 * and `nextRunAt` are set when this returns. The orchestrator's attributes of a stored version are kept (its
 * pending slot and last run survive an edit; an unchanged record stays as it is); those in `record` are not
 * the operator's to write and are dropped.
 */
export async function writePolicy(
  deps: SyncDeps,
  record: Record<string, unknown>,
  policyId: string,
): Promise<PolicyWrite> {
  const existing = await deps.policies.get(policyId);
  await deps.policies.put({ ...orchestratorPart(existing), ...operatorAttributes(record), policyId });
  const stored = await deps.policies.get(policyId);
  if (!stored) throw new CliError(`policy ${policyId} was deleted right after it was written`);
  const outcome = await syncPolicyItem(deps, stored, false, undefined, existing?.targets !== undefined);
  const synced = outcome.action === 'written' ? outcome.result : stored;
  return {
    policyId,
    action: outcome.action,
    state: synced.state,
    stateReason: synced.stateReason,
    nextRunAt: synced.nextRunAt,
  };
}

/** `written before it: a, b, c` (the last ten of many), for the message of a write that failed. */
function writtenBefore(writes: readonly PolicyWrite[]): string {
  const ids = writes.slice(-10).map((write) => write.policyId);
  const more = writes.length > ids.length ? `${writes.length - ids.length} more and ` : '';
  return `written before it: ${ids.length === 0 ? 'none' : `${more}${ids.join(', ')}`}`;
}

/**
 * Writes and syncs every valid checked policy in order (writePolicy). The 24-in-24 h fit of each is judged
 * against the table's ACTIVE policies on its cache, from one Scan before the first write, kept current as
 * each policy is synced (as reconcile does): a file of N policies costs one Scan, not N. Stops at the first
 * failure with a CliError that says what was written before it.
 */
export async function writePolicies(deps: SyncDeps, checks: readonly PolicyCheck[]): Promise<PolicyWrite[]> {
  const { index, withPeers } = await readPeerIndex(deps);
  const writes: PolicyWrite[] = [];
  for (const check of checks) {
    if (check.policyId === undefined) continue;
    try {
      const write = await writePolicy(withPeers, check.record, check.policyId);
      replacePeer(index, { ...check.record, policyId: check.policyId, state: write.state });
      writes.push(write);
    } catch (error) {
      throw new CliError(
        `writing policy ${check.policyId} failed (${writtenBefore(writes)}): ${String(error)}`,
        { cause: error },
      );
    }
  }
  return writes;
}
