import type { ItemClient } from '#lib/adapters/dynamodb/item-client';
import { enrolChanges } from '#lib/adapters/target-items';
import type { Config } from '#lib/config';
import type { PolicyItem } from '#lib/policy/types';
import { syncedPolicy, writeItems, writePolicies } from './policies';

/** One group of targets policies: each selects its caches by a tag and is daily at `schedule`. */
export interface TargetGroup {
  readonly name: string;
  readonly policies: number;
  readonly targetsEach: number;
  readonly schedule: string;
  /** Every target's nextRunAt, as enrolment leaves it. */
  readonly nextRunAt: string;
}

const policyIdOf = (group: TargetGroup, p: number) => `bench-${group.name}-${p}`;
const cacheOf = (group: TargetGroup, p: number, i: number) => `${group.name}-${p}-cache-${i}`;

function policiesOf(group: TargetGroup, syncedAt: string): PolicyItem[] {
  return Array.from({ length: group.policies }, (_, p) => {
    const targets = { tags: { 'bench-tier': `${group.name}-${p}` } };
    const operator = { policyId: policyIdOf(group, p), targets, schedule: group.schedule };
    return syncedPolicy(operator, undefined, syncedAt);
  });
}

/** The targets-table items of `group`, as enrolment stores them (lib/adapters/target-items.ts). */
function targetItemsOf(group: TargetGroup, enrolledAt: string): Record<string, unknown>[] {
  return Array.from({ length: group.policies * group.targetsEach }, (_, n) => {
    const p = Math.floor(n / group.targetsEach);
    const key = { policyId: policyIdOf(group, p), cacheName: cacheOf(group, p, n % group.targetsEach) };
    const { set } = enrolChanges({ ...key, nextRunAt: group.nextRunAt, enrolledAt, engine: 'valkey' });
    return { ...key, ...set };
  });
}

export const cachesOf = (group: TargetGroup) =>
  Array.from({ length: group.policies * group.targetsEach }, (_, n) =>
    cacheOf(group, Math.floor(n / group.targetsEach), n % group.targetsEach),
  );

/**
 * Writes every group's policies (ACTIVE, in sync, without a nextRunAt of their own) and targets (ACTIVE,
 * due at the group's nextRunAt) with BatchWriteItem: 10,000 targets in seconds, where enrolling them one
 * conditional write at a time would take minutes.
 */
export async function writeTargetGroups(
  documents: ItemClient,
  config: Pick<Config, 'policiesTable' | 'targetsTable'>,
  groups: readonly TargetGroup[],
  at: string,
): Promise<void> {
  await writePolicies(
    documents,
    config.policiesTable,
    groups.flatMap((group) => policiesOf(group, at)),
  );
  await writeItems(
    documents,
    config.targetsTable,
    groups.flatMap((group) => targetItemsOf(group, at)),
  );
}
