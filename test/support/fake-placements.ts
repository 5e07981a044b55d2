import { AdaptiveLimit } from '#lib/adaptive-limit';
import { type Clock, systemClock } from '#lib/clock';
import { AssumeRoleError } from '#lib/errors';
import { type HomePlacement, type Placement, placementKey } from '#lib/placements/placement';
import {
  createPlacementClients,
  type PlacementAccess,
  type PlacementClients,
} from '#lib/placements/placement-clients';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import { FakeSnapshotGateway } from './fake-snapshot-gateway';

/** The orchestrator's own placement in unit tests. */
export const HOME: HomePlacement = { account: '111111111111', region: 'us-east-1', partition: 'aws' };

/**
 * `gateway` asking the placement's credentials before each call, as an SDK client does before each request:
 * so a member account whose role cannot be assumed fails every call with AssumeRoleFailed.
 */
function askingCredentials(gateway: SnapshotGateway, access: PlacementAccess): SnapshotGateway {
  const { credentials } = access;
  if (!credentials) return gateway;
  return new Proxy(gateway, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await credentials();
        return value.apply(target, args);
      };
    },
  });
}

/**
 * The real placement factory (lib/placements) over fake gateways: `home` serves the own placement, `add`
 * gives another placement its fake gateway, and `deny` makes an account's member role refuse AssumeRole, so
 * every call into that account fails with AssumeRoleFailed as it does deployed. A placement nobody added
 * fails its calls (a test that forgot one). `clock` times the kept credentials (default: real time).
 */
export class FakePlacements implements PlacementClients {
  private readonly gateways = new Map<string, FakeSnapshotGateway>();
  private readonly denied = new Map<string, 'terminal' | 'transient'>();
  private readonly clients: PlacementClients;

  constructor(
    readonly own: FakeSnapshotGateway,
    clock: Clock = systemClock,
  ) {
    this.clients = createPlacementClients({
      identify: async () => HOME,
      homeSnapshots: own,
      buildSnapshots: async (placement, access) => askingCredentials(this.gatewayAt(placement), access),
      assumeRole: async (request) => {
        for (const [account, faultClass] of this.denied) {
          if (!request.roleArn.includes(`::${account}:`)) continue;
          const code = faultClass === 'terminal' ? 'AccessDenied' : 'Throttling';
          throw new AssumeRoleError(
            request.roleArn,
            code,
            faultClass,
            `could not assume ${request.roleArn}: ${code}`,
          );
        }
        return {
          accessKeyId: 'ASIA',
          secretAccessKey: 's',
          sessionToken: 't',
          expiration: new Date(8.64e15),
        };
      },
      newLimit: () => new AdaptiveLimit({ maxInFlight: 16 }),
      memberRoleName: 'cache-snapshot-orchestrator-member',
      memberExternalId: 'external-id',
      clock,
    });
  }

  /** Gives `placement` a fake gateway with `caches` (returned, for seeding and assertions). */
  add(placement: Placement, caches: readonly string[] = []): FakeSnapshotGateway {
    const gateway = new FakeSnapshotGateway(caches);
    this.gateways.set(placementKey(placement), gateway);
    return gateway;
  }

  /** Every AssumeRole of the account's member role fails from now on: refused (`terminal`) or throttled. */
  deny(account: string, faultClass: 'terminal' | 'transient' = 'terminal'): void {
    this.denied.set(account, faultClass);
  }

  /** The account's member role may be assumed again (once the refusal the placements keep has lapsed). */
  allow(account: string): void {
    this.denied.delete(account);
  }

  gatewayAt(placement: Placement): FakeSnapshotGateway {
    const gateway = this.gateways.get(placementKey(placement));
    if (!gateway) throw new Error(`no fake gateway for ${placementKey(placement)}: add it first`);
    return gateway;
  }

  home(): Promise<HomePlacement> {
    return this.clients.home();
  }

  credentials(placement: Parameters<PlacementClients['credentials']>[0]) {
    return this.clients.credentials(placement);
  }

  snapshots(placement: Parameters<PlacementClients['snapshots']>[0]) {
    return this.clients.snapshots(placement);
  }
}
