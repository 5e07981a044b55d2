import { formatTable } from '#cli/output';
import { MANAGED_BY_VALUE, MANAGED_TAGS } from '#lib/snapshots/snapshot-gateway';
import type { Simulation } from '#local/simulation';
import type { PolicyReport } from './report';

/** The member account of the demo (examples/accounts.yaml) and the second region. */
export const DEMO_MEMBER_ACCOUNT = '210987654321';
export const DEMO_OTHER_REGION = 'eu-west-1';
/** The demo deployment's `memberExternalId`, which the member role's trust requires. */
export const DEMO_EXTERNAL_ID = 'demo-7f3c1d2e5a94f60b';

/**
 * The demo's other placements (docs/architecture.md, "Accounts and regions"): a member account whose member
 * role trusts the orchestrator's account with DEMO_EXTERNAL_ID on the local STS, its cache `billing`, and a
 * cache `orders` in the own account's second region (the same name as the own region's `orders`, another
 * cache). The policies on them are examples/accounts.yaml.
 */
export function seedAccounts(simulation: Simulation): string {
  const { emulator, sts } = simulation.stack;
  emulator
    .partition(DEMO_MEMBER_ACCOUNT, emulator.region)
    .seedCache({ name: 'billing', bytesUsed: 900_000_000 });
  emulator
    .partition(emulator.accountId, DEMO_OTHER_REGION)
    .seedCache({ name: 'orders', bytesUsed: 1_100_000_000 });
  sts.trustRole(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT}:role/cache-snapshot-orchestrator-member`, {
    externalId: DEMO_EXTERNAL_ID,
    trustedAccounts: [emulator.accountId],
  });
  return (
    `member account ${DEMO_MEMBER_ACCOUNT} (cache billing, its member role trusting this account on the local STS) ` +
    `and region ${DEMO_OTHER_REGION} (cache orders)`
  );
}

/**
 * Per account and region: the policies whose runs are there, their AVAILABLE runs, and the orchestrator's
 * snapshots the emulator holds in that partition (they must agree: nothing crosses over).
 */
export async function describeAccounts(
  simulation: Simulation,
  rows: readonly PolicyReport[],
): Promise<string[]> {
  const runs = await simulation.allRuns();
  const lines = simulation.stack.emulator.partitions().map((partition) => {
    const here = runs.filter((run) => run.account === partition.accountId && run.region === partition.region);
    const policies = new Set(here.map((run) => run.policyId));
    const managed = partition
      .snapshots()
      .filter((snapshot) => snapshot.tags[MANAGED_TAGS.managedBy] === MANAGED_BY_VALUE).length;
    const available = rows
      .filter((row) => policies.has(row.policyId))
      .reduce((sum, row) => sum + row.available, 0);
    return [partition.accountId, partition.region, String(policies.size), String(available), String(managed)];
  });
  return formatTable(['ACCOUNT', 'REGION', 'POLICIES', 'AVAILABLE RUNS', 'SNAPSHOTS HELD'], lines);
}
