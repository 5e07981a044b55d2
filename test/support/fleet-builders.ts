import type { FleetCache, TagsError } from '#lib/fleet/types';
import { parsePolicy } from '#lib/policy/parse-policy';
import type { Policy } from '#lib/policy/types';

/** A discovered cache: valkey and available unless told, tags given, or unreadable with `tagsError`. */
export function fleetCache(
  name: string,
  options: { engine?: string; tags?: Record<string, string>; tagsError?: TagsError } = {},
): FleetCache {
  const info = {
    name,
    status: 'available',
    engine: options.engine ?? 'valkey',
    majorEngineVersion: '8',
    arn: `arn:cache:${name}`,
    subnetIds: ['subnet-a'],
    securityGroupIds: ['sg-a'],
    createTime: undefined,
  };
  return options.tagsError
    ? { ...info, tags: undefined, tagsError: options.tagsError }
    : { ...info, tags: options.tags ?? {} };
}

/** A valid daily policy with `targets` (a selector) or `cacheName` (a string). */
export function fleetPolicy(policyId: string, covers: string | Record<string, unknown>): Policy {
  const base = { policyId, schedule: 'cron(0 3 * * ? *)' };
  return parsePolicy(
    typeof covers === 'string' ? { ...base, cacheName: covers } : { ...base, targets: covers },
  );
}

export const THROTTLED: TagsError = { code: 'Throttling', message: 'Rate exceeded' };
