import type { CredentialSource } from '#lib/placements/credential-cache';
import type { PlacementRef } from '#lib/placements/placement';
import type { PlacementClients } from '#lib/placements/placement-clients';
import { lazyObjectStore } from './lazy-object-store';
import type { ObjectStore } from './object-store';

/**
 * `objectsIn` of an ExportContext: the own account's `own` store, and for another account a store on that
 * account's member role credentials (`placements.credentials`, the same kept credentials as its ElastiCache
 * gateways), built by `build` once per account as named and on its first call. A role that cannot be assumed
 * fails that account's S3 calls with AssumeRoleFailed, and no other account's.
 */
export function memberObjectStores(
  placements: Pick<PlacementClients, 'credentials'>,
  own: ObjectStore,
  build: (credentials: CredentialSource) => Promise<ObjectStore>,
): (placement: PlacementRef) => ObjectStore {
  const stores = new Map<string, ObjectStore>();
  return (placement) => {
    const account = placement.account;
    if (account === undefined) return own;
    let store = stores.get(account);
    if (!store) {
      store = lazyObjectStore(async () => {
        const credentials = await placements.credentials({ account });
        return credentials === undefined ? own : build(credentials);
      });
      stores.set(account, store);
    }
    return store;
  };
}
