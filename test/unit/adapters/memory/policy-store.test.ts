import { describe } from 'vitest';
import { InMemoryPolicyStore } from '../../../../lib/adapters/memory/policy-store';
import { describePolicyStoreContract } from '../contract/policy-store-contract';

describe('InMemoryPolicyStore', () => {
  describePolicyStoreContract(async () => new InMemoryPolicyStore());
});
