import type { ElastiCacheClientConfig } from '@aws-sdk/client-elasticache';
import { AdaptiveLimit } from '#lib/adaptive-limit';
import { systemClock } from '#lib/clock';
import type { Config } from '#lib/config';
import { createPlacementClients, type PlacementClients } from '#lib/placements/placement-clients';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import type { StsGateway } from './sts/sts-gateway';

/**
 * The placement factory on the AWS SDK. The STS and ElastiCache adapters are loaded and their clients built
 * on first use (as the runtime does for the own gateway), so a process that never leaves its own placement
 * never evaluates them. Endpoints come only from the SDK's standard variables (`AWS_ENDPOINT_URL_STS`,
 * `AWS_ENDPOINT_URL_ELASTICACHE`); each placement's ElastiCache client is built for its region, on the member
 * role's kept credentials in another account, under an adaptive limit of its own (`config.concurrency` in
 * flight at most, as the own one). `clientConfig` gives the settings of each client built (the runtime's
 * overrides, for the simulation and tests).
 */
export function createAwsPlacementClients(
  config: Config,
  homeSnapshots: SnapshotGateway,
  clientConfig: () => Pick<ElastiCacheClientConfig, 'retryStrategy'> = () => ({}),
): PlacementClients {
  let loading: Promise<StsGateway> | undefined;
  const sts = () => {
    loading ??= import('./sts/sts-gateway')
      .then((adapter) => new adapter.StsGateway(adapter.createStsClient(clientConfig())))
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
    return loading;
  };
  return createPlacementClients({
    identify: async () => (await sts()).callerIdentity(),
    assumeRole: async (request) => (await sts()).assumeRole(request),
    homeSnapshots,
    buildSnapshots: async (placement, access) => {
      const elastiCache = await import('./elasticache/snapshot-gateway');
      const credentials = access.credentials ? { credentials: access.credentials } : {};
      const settings = { ...clientConfig(), region: placement.region, ...credentials };
      const client = elastiCache.createElastiCacheClient(settings, access.limit);
      return new elastiCache.ElastiCacheSnapshotGateway(client);
    },
    newLimit: () => new AdaptiveLimit({ maxInFlight: config.concurrency }),
    memberRoleName: config.memberRoleName,
    memberExternalId: config.memberExternalId,
    clock: systemClock,
  });
}
