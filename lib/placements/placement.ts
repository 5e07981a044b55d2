/**
 * Where a cache lives: an account and a region (docs/architecture.md, "Accounts and regions"). Each
 * placement has its own ElastiCache API limits, so clients, credentials and adaptive limits are kept per
 * placement.
 */
export interface Placement {
  /** 12-digit AWS account id. */
  readonly account: string;
  readonly region: string;
}

/** The orchestrator's own placement, and the partition its ARNs are in (`aws`, `aws-cn`, `aws-us-gov`, …). */
export interface HomePlacement extends Placement {
  readonly partition: string;
}

/**
 * A placement as a policy or a run names it: `account` and `region`, each undefined for the orchestrator's own
 * (a policy's attributes default to the orchestrator's; run records written before issue 17 carry neither).
 */
export interface PlacementRef {
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

/** The placement a policy (its `account` and `region` attributes) or a run record names. */
export function placementOf(target: PlacementRef): PlacementRef {
  return { account: target.account, region: target.region };
}

/** `ref` with the orchestrator's own account and region where it names none. */
export function resolvePlacement(ref: PlacementRef, home: Placement): Placement {
  return { account: ref.account ?? home.account, region: ref.region ?? home.region };
}

/**
 * A placement in words for a reason an operator reads: `this account and region` for the orchestrator's own,
 * else `account 123456789012, region eu-west-1` with `(own)` for the part it leaves out.
 */
export function describePlacement(ref: PlacementRef): string {
  if (ref.account === undefined && ref.region === undefined) return 'this account and region';
  return `account ${ref.account ?? '(own)'}, region ${ref.region ?? '(own)'}`;
}

/** One string per placement as named (undefined parts kept apart from the own account's id), for maps. */
export function refKey(ref: PlacementRef): string {
  return `${ref.account ?? ''}/${ref.region ?? ''}`;
}

/**
 * One string per (placement, cache): a cache name is unique only within an account and region, so whatever
 * is kept per cache (one snapshot at a time, the 24-in-24 h fit, the tick's per-cache groups) is kept per
 * this key. An unnamed account or region counts as the own one only where callers resolved it first.
 */
export function cacheKey(ref: PlacementRef, cacheName: string): string {
  return `${refKey(ref)}/${cacheName}`;
}

/**
 * The placement `ref` names, the orchestrator's own account and region asked of `home` only when `ref`
 * leaves one out (a policy naming both needs no lookup).
 */
export async function resolvedPlacement(
  ref: PlacementRef,
  home: () => Promise<Placement>,
): Promise<Placement> {
  if (ref.account !== undefined && ref.region !== undefined)
    return { account: ref.account, region: ref.region };
  return resolvePlacement(ref, await home());
}

/** One string per placement, for maps. */
export function placementKey(placement: Placement): string {
  return `${placement.account}/${placement.region}`;
}

export function isSamePlacement(a: Placement, b: Placement): boolean {
  return a.account === b.account && a.region === b.region;
}

/**
 * The member role the orchestrator assumes in `account`: `arn:<partition>:iam::<account>:role/<roleName>`
 * (the role ARN format of the Service Authorization Reference, "Resource types defined by AWS Security Token
 * Service": https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html).
 * The partition is the orchestrator's own: a role can only be assumed within its partition.
 */
export function memberRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/** An AssumeRole of a member role: the role, the external ID its trust policy requires, a session name. */
export interface MemberRoleRequest {
  readonly roleArn: string;
  readonly externalId: string;
  readonly sessionName: string;
}
