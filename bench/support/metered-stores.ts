import { createItemClient, type ItemClient } from '#lib/adapters/dynamodb/item-client';
import { DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { DynamoRestoreTestStore } from '#lib/adapters/dynamodb/restore-test-store';
import { DynamoRunStore } from '#lib/adapters/dynamodb/run-store';
import { DynamoTargetTable } from '#lib/adapters/dynamodb/target-table';
import type { Config } from '#lib/config';
import type { SchedulerDeps } from '#lib/scheduler/deps';
import { type TargetStore, targetStoreOf } from '#lib/targets/target-store';
import { meterReads, type ReadTally } from './read-meter';

/** The tick's stores on one DynamoDB client whose every read is counted (read-meter.ts). */
export interface MeteredStores {
  readonly stores: Pick<SchedulerDeps, 'policies' | 'runs' | 'targets' | 'restoreTests'> & {
    readonly policies: DynamoPolicyStore;
    readonly targets: TargetStore;
  };
  readonly meter: { readonly tally: ReadTally; reset(): void };
  readonly client: ItemClient;
}

/**
 * The policies, runs, targets and restore-test stores the scheduler builds (lib/runtime.ts), on a client of
 * their own that counts every read: the read-cost rows pass them all to the tick, so no read goes around the
 * meter (the due listing of `cacheName` policies goes through the TargetStore, not the PolicyStore).
 */
export function meteredStores(
  config: Pick<Config, 'policiesTable' | 'runsTable' | 'targetsTable' | 'deploymentName'>,
): MeteredStores {
  const client = createItemClient();
  const meter = meterReads(client);
  const policies = new DynamoPolicyStore({ client, tableName: config.policiesTable });
  const runs = new DynamoRunStore({ client, tableName: config.runsTable });
  const table = new DynamoTargetTable({ client, tableName: config.targetsTable });
  const restoreTests = {
    store: new DynamoRestoreTestStore({ client, tableName: config.runsTable }),
    deployment: config.deploymentName,
  };
  const targets = targetStoreOf(policies, table);
  return { stores: { policies, runs, targets, restoreTests }, meter, client };
}
