import { nextSlotAfter } from '#lib/schedule/policy-slots';
import type { Policy } from './types';

/**
 * The policy's first slot strictly after `after`, in its time zone, or undefined when its schedule never
 * fires again. The policy must come from parsePolicy (its schedule and time zone are valid).
 */
export function nextRunAfter(policy: Policy, after: Date): Date | undefined {
  return nextSlotAfter(policy, after);
}
