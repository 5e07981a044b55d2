import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { StoreError } from '#lib/errors';
import type { RunRecord } from '#lib/runs/types';

/** The in-memory run store, except that creating a run of a policy in `failingPolicies` throws StoreError. */
export class FlakyRunStore extends InMemoryRunStore {
  readonly failingPolicies = new Set<string>();

  override async create(run: RunRecord): Promise<RunRecord | undefined> {
    if (this.failingPolicies.has(run.policyId)) {
      throw new StoreError(`runs table unavailable for ${run.policyId} (scripted)`);
    }
    return super.create(run);
  }
}
