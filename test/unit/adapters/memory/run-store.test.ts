import { describe } from 'vitest';
import { InMemoryRunStore } from '#lib/adapters/memory/run-store';
import { describeRunStoreContract } from '#test/unit/adapters/contract/run-store-contract';

describe('InMemoryRunStore', () => {
  describeRunStoreContract(async () => new InMemoryRunStore());
});
