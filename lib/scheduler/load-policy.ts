import { describeIssues } from '#lib/errors';
import { validatePolicy } from '#lib/policy/parse-policy';
import type { Policy } from '#lib/policy/types';
import type { SchedulerDeps } from './deps';

/**
 * The policy a run belongs to, parsed afresh (never trusting a stored state), or the reason it cannot be
 * used: deleted, invalid (every broken rule) or disabled.
 */
export async function loadUsablePolicy(
  deps: Pick<SchedulerDeps, 'policies'>,
  policyId: string,
): Promise<Policy | string> {
  const item = await deps.policies.get(policyId);
  if (!item) return 'the policy was deleted';
  const parsed = validatePolicy(item);
  if (!parsed.ok) return `the policy is invalid: ${describeIssues(parsed.issues)}`;
  if (!parsed.policy.enabled) return 'the policy is disabled';
  return parsed.policy;
}
