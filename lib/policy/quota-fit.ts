import { DAY_MS } from '#lib/clock';
import { slotsBetween } from '#lib/schedule/policy-slots';
import type { CachePolicy, Policy } from './types';

/** ElastiCache allows this many manual snapshots of one serverless cache in any rolling 24 hours. */
export const SNAPSHOTS_PER_CACHE_PER_DAY = 24;

/** How far ahead the fit is checked: a week covers weekly tiers and a DST change or two in most years. */
const HORIZON_DAYS = 8;

/** The most slots of `policies` that fall in any 24-hour window between `from` and the horizon. */
export function peakSlotsPerDay(policies: readonly Policy[], from: Date): number {
  const until = new Date(from.getTime() + HORIZON_DAYS * DAY_MS);
  const limit = HORIZON_DAYS * 24 + 1;
  const slots = policies
    .flatMap((policy) => slotsBetween(policy, new Date(from.getTime() - 1), until, limit))
    .map((slot) => slot.getTime())
    .sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; first < slots.length; first += 1) {
    while (last < slots.length && (slots[last] as number) < (slots[first] as number) + DAY_MS) last += 1;
    peak = Math.max(peak, last - first);
  }
  return peak;
}

/**
 * A warning when `policy` together with the other active policies on its cache (`peers`) would take more
 * snapshots in some 24 hours than the service allows: some of them would then fail with the quota fault.
 * The policy stays usable; the warning names the attribute to change.
 */
export function quotaFitWarning(
  policy: CachePolicy,
  peers: readonly Policy[],
  from: Date,
): string | undefined {
  const others = peers.filter(
    (peer) => peer.cacheName === policy.cacheName && peer.policyId !== policy.policyId,
  );
  const peak = peakSlotsPerDay([policy, ...others], from);
  if (peak <= SNAPSHOTS_PER_CACHE_PER_DAY) return undefined;
  const company =
    others.length === 0
      ? 'on its own'
      : `with ${others.length} other active ${others.length === 1 ? 'policy' : 'policies'}`;
  return (
    `schedule: ${company} on cache ${policy.cacheName} it takes up to ${peak} snapshots in 24 hours; ` +
    `the service allows ${SNAPSHOTS_PER_CACHE_PER_DAY} manual snapshots per cache per 24 hours, so some would fail with the quota fault`
  );
}
