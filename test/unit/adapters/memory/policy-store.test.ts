import { describe } from 'vitest';
import { InMemoryPolicyStore } from '#lib/adapters/memory/policy-store';
import { describePolicyStoreContract } from '#test/unit/adapters/contract/policy-store-contract';

describe('InMemoryPolicyStore', () => {
  describePolicyStoreContract(async () => new InMemoryPolicyStore());
});
