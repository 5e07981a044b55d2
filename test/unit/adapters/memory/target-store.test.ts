import { describe } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { InMemoryTargetTable } from '#lib/adapters/memory/target-table';
import { targetStoreOf } from '#lib/targets/target-store';
import { describeTargetStoreContract } from '#test/unit/adapters/contract/target-store-contract';

describe('TargetStore over the in-memory stores', () => {
  describeTargetStoreContract(async () => {
    const policies = new InMemoryPolicyStore();
    return { policies, targets: targetStoreOf(policies, new InMemoryTargetTable()) };
  });
});
