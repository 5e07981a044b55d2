import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/**
 * The SDK's standard retry (3 attempts, the same faults retried, the same retry quota) without its backoff
 * waits, which are real time: for the SDK clients of the local simulation and of tests, where time is
 * simulated or does not matter. One strategy per client: a strategy keeps its own retry quota. Never used
 * by the deployed functions (lib/runtime.ts leaves their clients at the SDK's defaults).
 */
export function noDelayRetries(maxAttempts = 3): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(maxAttempts, 0);
}
