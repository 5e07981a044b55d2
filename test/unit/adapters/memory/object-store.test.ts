import { describe } from 'vitest';
import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import {
  CONTRACT_COPY_LIMITS,
  describeObjectStoreContract,
} from '#test/unit/adapters/contract/object-store-contract';

describe('InMemoryObjectStore', () => {
  describeObjectStoreContract(async () => {
    const store = new InMemoryObjectStore(() => new Date(), CONTRACT_COPY_LIMITS);
    return {
      store,
      createBucket: async (bucket, region) => store.createBucket(bucket, region),
      putObject: async (object, bytes) => store.putObject(object, bytes),
    };
  });
});
