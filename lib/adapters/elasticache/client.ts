import { ElastiCacheClient, type ElastiCacheClientConfig } from '@aws-sdk/client-elasticache';
import type { AdaptiveLimit } from '#lib/adaptive-limit';
import { isThrottlingError } from './classify-error';

/**
 * The one place the ElastiCache client is built. No endpoint is set, so the SDK's standard
 * `AWS_ENDPOINT_URL_ELASTICACHE` decides between AWS and the local emulator; `config` is for tests only.
 * The SDK's standard retry mode stays on (3 attempts for throttling, 5xx and network errors); the
 * orchestrator's own retry (lib/retry) comes on top of it, by fault class.
 *
 * With `limit`, every attempt (each SDK retry included) waits for a permit of that adaptive limit and
 * reports whether it was throttled, so the whole process backs off together when ElastiCache throttles.
 * It sits inside the SDK's retry loop because only there is each throttled answer seen: a retry the SDK
 * absorbs never reaches the caller.
 *
 * `cacheMiddleware`: the SDK resolves the middleware stack once per command class instead of on every
 * call (a new stack, sorted, per request); its documented limit is that the stack cannot change after the
 * first call, and nothing here changes it after construction. Measured in npm run bench (row 4).
 */
export function createElastiCacheClient(
  config: ElastiCacheClientConfig = {},
  limit?: AdaptiveLimit,
): ElastiCacheClient {
  const client = new ElastiCacheClient({ cacheMiddleware: true, ...config });
  if (limit) {
    const underLimit =
      <Args, Result>(next: (args: Args) => Promise<Result>) =>
      (args: Args) =>
        limit.run(() => next(args), isThrottlingError);
    client.middlewareStack.addRelativeTo(underLimit, {
      name: 'adaptiveLimitMiddleware',
      relation: 'after',
      toMiddleware: 'retryMiddleware',
    });
  }
  return client;
}
