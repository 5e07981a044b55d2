import { type Clock, MINUTE_MS } from '#lib/clock';
import { SnapshotServiceError } from '#lib/errors';

/** Temporary credentials as STS issues them (the shape the AWS SDK takes as `credentials`). */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Gives credentials that are valid now; a client calls it whenever it needs them. */
export type CredentialSource = () => Promise<TemporaryCredentials>;

export interface CredentialCacheOptions {
  /** Gets new credentials (AssumeRole); throws a SnapshotServiceError when it cannot. */
  readonly fetch: () => Promise<TemporaryCredentials>;
  readonly clock: Clock;
  /**
   * New credentials are fetched this long before the kept ones expire; default 5 minutes, the margin at
   * which the AWS SDK's own clients refresh credentials (`expiration`: "force a refresh … when 5 minutes
   * remain", https://www.npmjs.com/package/@aws-sdk/credential-providers), so both agree.
   */
  readonly refreshBeforeMs?: number;
  /**
   * A `terminal` failure (STS refused) is answered again for this long without asking STS; default 1 minute,
   * so a denied account costs one AssumeRole per tick rather than one per call, and a repaired trust is
   * picked up by the next tick. Transient failures are never held.
   */
  readonly holdFailureMs?: number;
  /** Told of each failed fetch (not of held failures answered again), e.g. to log and count it. */
  readonly onFailure?: (error: unknown) => void;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * MINUTE_MS;
const DEFAULT_HOLD_FAILURE_MS = MINUTE_MS;

/**
 * Credentials kept for the life of the process and fetched anew only shortly before they expire. Callers
 * that ask at once while a fetch is under way share it, so a tick starting many calls into one account
 * makes one AssumeRole. Why not the SDK's `fromTemporaryCredentials`: it calls AssumeRole on every call
 * (only an SDK client's own memo keeps the result, per client), while one cache here serves every client of
 * an account (each region's ElastiCache client, later S3 and EventBridge), on an injected clock.
 */
export function cacheCredentials(options: CredentialCacheOptions): CredentialSource {
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  let kept: TemporaryCredentials | undefined;
  let fetching: Promise<TemporaryCredentials> | undefined;
  let held: { error: unknown; until: number } | undefined;

  const fetch = async (): Promise<TemporaryCredentials> => {
    try {
      kept = await options.fetch();
      held = undefined;
      return kept;
    } catch (error) {
      options.onFailure?.(error);
      if (error instanceof SnapshotServiceError && error.faultClass === 'terminal') {
        held = {
          error,
          until: options.clock().getTime() + (options.holdFailureMs ?? DEFAULT_HOLD_FAILURE_MS),
        };
      }
      throw error;
    }
  };

  return async () => {
    const now = options.clock().getTime();
    if (kept && now < kept.expiration.getTime() - refreshBeforeMs) return kept;
    if (fetching) return fetching;
    if (held && now < held.until) throw held.error;
    fetching = fetch().finally(() => {
      fetching = undefined;
    });
    return fetching;
  };
}
