import { createItemClient, type ItemClient } from '#lib/adapters/dynamodb/item-client';
import { DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { DynamoRunStore } from '#lib/adapters/dynamodb/run-store';
import { DynamoTargetTable } from '#lib/adapters/dynamodb/target-table';
import type { Config } from '#lib/config';
import type { SchedulerDeps } from '#lib/scheduler/deps';
import { type TargetStore, targetStoreOf } from '#lib/targets/target-store';
import { meterReads, type ReadTally } from './read-meter';

/** The tick's three stores on one DynamoDB client whose every read is counted (read-meter.ts). */
export interface MeteredStores {
  readonly stores: Pick<SchedulerDeps, 'policies' | 'runs' | 'targets'> & {
    readonly policies: DynamoPolicyStore;
    readonly targets: TargetStore;
  };
  readonly meter: { readonly tally: ReadTally; reset(): void };
  readonly client: ItemClient;
}

/**
 * The policies, runs and targets stores the scheduler builds (lib/runtime.ts), on a client of their own that
 * counts every read: the read-cost rows pass all three to the tick, so no read goes around the meter (the
 * due listing of `cacheName` policies goes through the TargetStore, not the PolicyStore).
 */
export function meteredStores(
  config: Pick<Config, 'policiesTable' | 'runsTable' | 'targetsTable'>,
): MeteredStores {
  const client = createItemClient();
  const meter = meterReads(client);
  const policies = new DynamoPolicyStore({ client, tableName: config.policiesTable });
  const runs = new DynamoRunStore({ client, tableName: config.runsTable });
  const table = new DynamoTargetTable({ client, tableName: config.targetsTable });
  return { stores: { policies, runs, targets: targetStoreOf(policies, table) }, meter, client };
}
