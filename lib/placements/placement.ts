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
