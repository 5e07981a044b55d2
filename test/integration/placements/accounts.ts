/** The accounts of the local-stack placement tests: the stack's own, a member, and one whose role is refused. */
export const HOME = '123456789012';
export const MEMBER = '210987654321';
export const DENIED = '444455556666';
export const EXTERNAL_ID = 'b7f3c1d2e5a94f60-orders';

/** The member role the orchestrator assumes in `account` (the default `memberRoleName`). */
export const roleOf = (account: string) => `arn:aws:iam::${account}:role/cache-snapshot-orchestrator-member`;
