import type { TargetTable } from './target-table';
import type { TargetRecord } from './types';

/** Reads of a policy's targets: what reconcile's reports need of the targets table. */
export type TargetListing = Pick<TargetTable, 'listByPolicy'>;

async function listAll(table: TargetListing, policyId: string): Promise<TargetRecord[]> {
  const targets: TargetRecord[] = [];
  for await (const target of table.listByPolicy(policyId)) targets.push(target);
  return targets;
}

/**
 * A listing of `table` that reads each policy's targets once and answers again from what it read: reconcile
 * shares one across the reports that follow its writes (recovery points, restore-test ages, due restore
 * tests), so a policy's targets are one Query there, not one per report. A failed read is kept too (every
 * report of the pass gets the same error and logs it; the next pass reads again). Only for a span that
 * writes no target: what it answers is the table as it was at the first read. `known`: policies' targets
 * already read this pass and written since by no one in it, answered without a read.
 */
export function listedOnce(
  table: TargetListing,
  known: ReadonlyMap<string, readonly TargetRecord[]> = new Map(),
): TargetListing {
  const listed = new Map<string, Promise<readonly TargetRecord[]>>(
    [...known].map(([policyId, targets]) => [policyId, Promise.resolve(targets)]),
  );
  return {
    async *listByPolicy(policyId) {
      let targets = listed.get(policyId);
      if (!targets) {
        targets = listAll(table, policyId);
        listed.set(policyId, targets);
      }
      yield* await targets;
    },
  };
}
