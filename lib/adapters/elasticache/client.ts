import { ElastiCacheClient, type ElastiCacheClientConfig } from '@aws-sdk/client-elasticache';

/**
 * The one place the ElastiCache client is built. No endpoint is set, so the SDK's standard
 * `AWS_ENDPOINT_URL_ELASTICACHE` decides between AWS and the local emulator; `config` is for tests only.
 * The SDK's standard retry mode stays on (3 attempts for throttling, 5xx and network errors); the
 * orchestrator's own retry (lib/retry) comes on top of it, by fault class.
 */
export function createElastiCacheClient(config: ElastiCacheClientConfig = {}): ElastiCacheClient {
  return new ElastiCacheClient(config);
}
