import type { AdaptiveLimit } from '#lib/adaptive-limit';
import type { Clock } from '#lib/clock';
import { AssumeRoleError, SnapshotServiceError } from '#lib/errors';
import { logger, METRIC, recordMetric, SERVICE_NAME } from '#lib/observability';
import { lazySnapshotGateway } from '#lib/snapshots/lazy-snapshot-gateway';
import type { SnapshotGateway } from '#lib/snapshots/snapshot-gateway';
import { type CredentialSource, cacheCredentials, type TemporaryCredentials } from './credential-cache';
import {
  type HomePlacement,
  isSamePlacement,
  type MemberRoleRequest,
  memberRoleArn,
  type Placement,
  type PlacementRef,
  placementKey,
  refKey,
  resolvePlacement,
} from './placement';

/**
 * The clients of every placement the orchestrator works in, one set per process. Today the ElastiCache
 * gateway; the S3 and EventBridge clients of issues 14 and 16 belong here too, built on the same
 * credentials and kept per placement the same way.
 */
export interface PlacementClients {
  /** The orchestrator's own account, region and partition, looked up once (a failed lookup is tried again). */
  home(): Promise<HomePlacement>;
  /**
   * The ElastiCache gateway of `placement` (an account or region left undefined: the orchestrator's own), the
   * same object on every call. Its calls fail with an AssumeRoleError (code `AssumeRoleFailed`) when the
   * placement's member role cannot be assumed; no other placement is affected.
   */
  snapshots(placement: PlacementRef): SnapshotGateway;
  /**
   * The credentials of `placement`'s account for clients other than ElastiCache (S3 for exports): undefined in
   * the own account (the function's own role), else the member role's, kept as for its gateways (one cache
   * per account; a source that fails with an AssumeRoleError when the role cannot be assumed).
   */
  credentials(placement: PlacementRef): Promise<CredentialSource | undefined>;
}

/** How a placement's clients reach it: credentials (undefined: the orchestrator's own) and its adaptive limit. */
export interface PlacementAccess {
  readonly credentials: CredentialSource | undefined;
  readonly limit: AdaptiveLimit;
}

export interface PlacementClientsOptions {
  /** Who the orchestrator is (GetCallerIdentity and its clients' region). */
  readonly identify: () => Promise<HomePlacement>;
  /** The own placement's gateway: today's, with today's adaptive limit. */
  readonly homeSnapshots: SnapshotGateway;
  /** Builds the ElastiCache gateway of another placement. */
  readonly buildSnapshots: (placement: Placement, access: PlacementAccess) => Promise<SnapshotGateway>;
  /** AssumeRole; fails with an AssumeRoleError. */
  readonly assumeRole: (request: MemberRoleRequest) => Promise<TemporaryCredentials>;
  /** A new adaptive limit, one per placement other than the own one. */
  readonly newLimit: () => AdaptiveLimit;
  readonly memberRoleName: string;
  /** The deployment's external ID; without it no member role is assumed (every member call fails). */
  readonly memberExternalId: string | undefined;
  readonly clock: Clock;
  /** Told of each failed AssumeRole; default: an error log line and the AssumeRoleFailures metric. */
  readonly onAssumeRoleFailed?: (error: AssumeRoleError) => void;
}

/** Logs a failed AssumeRole (outcome `AssumeRoleFailed`) and counts it on the metric the alarm watches. */
export function reportAssumeRoleFailure(error: AssumeRoleError): void {
  logger.error('could not assume a member role: calls into its account fail with AssumeRoleFailed', {
    outcome: error.code,
    roleArn: error.roleArn,
    errorCode: error.stsCode,
    faultClass: error.faultClass,
    error,
  });
  recordMetric(METRIC.AssumeRoleFailures);
}

function asAssumeRoleError(error: unknown, roleArn: string): AssumeRoleError {
  if (error instanceof AssumeRoleError) return error;
  const transient = !(error instanceof SnapshotServiceError) || error.faultClass === 'transient';
  const message = `could not assume ${roleArn}: ${error instanceof Error ? error.message : String(error)}`;
  return new AssumeRoleError(roleArn, 'InternalError', transient ? 'transient' : 'terminal', message, {
    cause: error,
  });
}

/**
 * The placement factory: the own placement gets `homeSnapshots`; another region of the own account a
 * client there with the orchestrator's own credentials; another account a client with the credentials of its
 * member role (`arn:<partition>:iam::<account>:role/<memberRoleName>`, assumed with the external ID and kept
 * until shortly before they expire, one cache per account for all its regions). Every placement but the own
 * one gets an adaptive limit of its own, so one account's throttling never slows another's calls.
 */
export function createPlacementClients(options: PlacementClientsOptions): PlacementClients {
  const report = options.onAssumeRoleFailed ?? reportAssumeRoleFailure;
  let identifying: Promise<HomePlacement> | undefined;
  const home = () => {
    identifying ??= options.identify().catch((error: unknown) => {
      identifying = undefined;
      throw error;
    });
    return identifying;
  };

  const accountCredentials = new Map<string, CredentialSource>();
  const credentialsOf = (account: string, partition: string): CredentialSource => {
    let source = accountCredentials.get(account);
    if (!source) {
      const roleArn = memberRoleArn(partition, account, options.memberRoleName);
      const externalId = options.memberExternalId;
      source = cacheCredentials({
        clock: options.clock,
        fetch: async () => {
          if (externalId === undefined) {
            const message = `could not assume ${roleArn}: the deployment has no memberExternalId`;
            throw new AssumeRoleError(roleArn, 'MissingExternalId', 'terminal', message);
          }
          try {
            return await options.assumeRole({ roleArn, externalId, sessionName: SERVICE_NAME });
          } catch (error) {
            throw asAssumeRoleError(error, roleArn);
          }
        },
        onFailure: (error) => report(asAssumeRoleError(error, roleArn)),
      });
      accountCredentials.set(account, source);
    }
    return source;
  };

  /** The own account needs none; another account's are its member role's. */
  const credentialsFor = (account: string, own: HomePlacement) =>
    account === own.account ? undefined : credentialsOf(account, own.partition);

  // Built once per resolved placement, however it was named (own account by id or left undefined).
  const built = new Map<string, Promise<SnapshotGateway>>();
  const build = (placement: Placement, own: HomePlacement): Promise<SnapshotGateway> => {
    const key = placementKey(placement);
    let gateway = built.get(key);
    if (!gateway) {
      const credentials = credentialsFor(placement.account, own);
      gateway = options.buildSnapshots(placement, { credentials, limit: options.newLimit() });
      // A failed build is not kept (its callers get the error through `gateway`): the next call builds again.
      gateway.catch(() => built.delete(key));
      built.set(key, gateway);
    }
    return gateway;
  };
  const connect = async (ref: PlacementRef): Promise<SnapshotGateway> => {
    const own = await home();
    const placement = resolvePlacement(ref, own);
    return isSamePlacement(placement, own) ? options.homeSnapshots : build(placement, own);
  };

  const gateways = new Map<string, SnapshotGateway>();
  return {
    home,
    async credentials(ref) {
      const own = await home();
      return credentialsFor(resolvePlacement(ref, own).account, own);
    },
    snapshots(ref) {
      const named = { account: ref.account, region: ref.region };
      const key = refKey(named);
      let gateway = gateways.get(key);
      if (!gateway) {
        gateway = lazySnapshotGateway(() => connect(named));
        gateways.set(key, gateway);
      }
      return gateway;
    },
  };
}

/**
 * `placements` with `gateway` as the own placement's (a placement naming no account and region, or the own
 * ones), every other placement's as before: for the simulation, tests and benchmarks that wrap or replace the
 * own gateway (fault injection, an unlimited client).
 */
export function withOwnGateway(placements: PlacementClients, gateway: SnapshotGateway): PlacementClients {
  const gateways = new Map<string, SnapshotGateway>();
  return {
    home: () => placements.home(),
    credentials: (ref) => placements.credentials(ref),
    snapshots(ref) {
      if (ref.account === undefined && ref.region === undefined) return gateway;
      const key = refKey(ref);
      let found = gateways.get(key);
      if (!found) {
        const named = { account: ref.account, region: ref.region };
        found = lazySnapshotGateway(async () => {
          const own = await placements.home();
          return isSamePlacement(resolvePlacement(named, own), own) ? gateway : placements.snapshots(named);
        });
        gateways.set(key, found);
      }
      return found;
    },
  };
}
