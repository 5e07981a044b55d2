/** ARNs of serverless caches and their snapshots, as ElastiCache spells them. */

/** Region and account an emulator instance plays. */
export interface Partition {
  readonly region: string;
  readonly accountId: string;
}

/** A parsed ElastiCache ARN; `local` is false when it names another region or account. */
export interface ResourceArn {
  readonly type: string;
  readonly name: string;
  readonly local: boolean;
}

export function formatCacheArn(partition: Partition, name: string): string {
  return `arn:aws:elasticache:${partition.region}:${partition.accountId}:serverlesscache:${name}`;
}

export function formatSnapshotArn(partition: Partition, name: string): string {
  return `arn:aws:elasticache:${partition.region}:${partition.accountId}:serverlesscachesnapshot:${name}`;
}

/** Reads an ElastiCache ARN (`arn:aws:elasticache:<region>:<account>:<type>:<name>`); undefined otherwise. */
export function parseResourceArn(partition: Partition, arn: string): ResourceArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'elasticache') return undefined;
  const [, , , region, accountId, type = '', ...rest] = parts;
  const name = rest.join(':');
  if (name === '' || type === '') return undefined;
  return { type, name, local: region === partition.region && accountId === partition.accountId };
}
