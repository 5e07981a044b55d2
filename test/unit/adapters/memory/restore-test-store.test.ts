import { describe } from 'vitest';
import { InMemoryRestoreTestStore } from '#lib/adapters/memory/restore-test-store';
import { describeRestoreTestStoreContract } from '#test/unit/adapters/contract/restore-test-store-contract';

describe('InMemoryRestoreTestStore', () => {
  describeRestoreTestStoreContract(async () => new InMemoryRestoreTestStore());
});
