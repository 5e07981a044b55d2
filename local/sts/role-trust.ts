/**
 * What the local STS knows of roles: which can be assumed, with which external ID, for how long, by whom,
 * and the denials a test injects. AssumeRole is checked against it as IAM evaluates a role's trust policy:
 * anything not explicitly trusted is AccessDenied, with the message the real STS gives.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '#local/identity/credential-registry';
import type { QueryFault } from '#local/wire/query-envelope';

/** How a role trusts its callers. */
export interface RoleTrust {
  /** The `sts:ExternalId` the trust policy requires; undefined for none. */
  readonly externalId?: string;
  /** The role's MaxSessionDuration (3600–43200 s); default 3600. */
  readonly maxSessionDurationSeconds?: number;
  /** Accounts whose principals may assume it; default any account. */
  readonly trustedAccounts?: readonly string[];
}

/** A role named by its ARN: its account and name. */
export interface RoleName {
  readonly arn: string;
  readonly accountId: string;
  readonly name: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export function validationError(message: string): QueryFault {
  return { code: 'ValidationError', httpStatus: 400, message, type: 'Sender' };
}

export function parseRoleArn(arn: string): RoleName | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { arn, accountId: match[1] ?? '', name: match[2] ?? '' } : undefined;
}

/** `AROA…`: a role's unique id, stable per ARN as IAM's is per role. */
export function roleIdOf(arn: string): string {
  return `AROA${createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()}`;
}

/** The members of an AssumeRole request, as strings off the wire. */
export interface AssumeRoleInput {
  readonly roleArn: string | undefined;
  readonly roleSessionName: string | undefined;
  readonly durationSeconds: string | undefined;
  readonly externalId: string | undefined;
}

export class RoleTrusts {
  private readonly roles = new Map<string, RoleTrust>();
  private readonly deniedRoles = new Set<string>();
  private readonly deniedAccounts = new Set<string>();

  trust(roleArn: string, trust: RoleTrust): void {
    if (!parseRoleArn(roleArn)) throw new Error(`Not a role ARN: ${roleArn}`);
    this.roles.set(roleArn, trust);
  }

  untrust(roleArn: string): void {
    this.roles.delete(roleArn);
  }

  denyRole(roleArn: string, denied: boolean): void {
    if (denied) this.deniedRoles.add(roleArn);
    else this.deniedRoles.delete(roleArn);
  }

  denyAccount(accountId: string, denied: boolean): void {
    if (denied) this.deniedAccounts.add(accountId);
    else this.deniedAccounts.delete(accountId);
  }

  /** The role and session duration an AssumeRole may have, or the fault that refuses it. */
  check(caller: Principal, input: AssumeRoleInput): { role: RoleName; durationSeconds: number } | QueryFault {
    if (!input.roleArn)
      return validationError(
        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      );
    if (!input.roleSessionName || !SESSION_NAME.test(input.roleSessionName)) {
      return validationError(
        `1 validation error detected: Value '${input.roleSessionName ?? 'null'}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64`,
      );
    }
    if (input.externalId !== undefined && !EXTERNAL_ID.test(input.externalId)) {
      return validationError(
        `1 validation error detected: Value '${input.externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length between 2 and 1224`,
      );
    }
    const durationSeconds = input.durationSeconds === undefined ? 3600 : Number(input.durationSeconds);
    if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
      return validationError(
        `1 validation error detected: Value '${input.durationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
    }
    const role = parseRoleArn(input.roleArn);
    const trust = role ? this.roles.get(role.arn) : undefined;
    const denied: QueryFault = {
      code: 'AccessDenied',
      httpStatus: 403,
      message: `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`,
      type: 'Sender',
    };
    if (!role || !trust) return denied;
    if (this.deniedRoles.has(role.arn) || this.deniedAccounts.has(role.accountId)) return denied;
    if (trust.trustedAccounts && !trust.trustedAccounts.includes(caller.accountId)) return denied;
    if (trust.externalId !== undefined && trust.externalId !== input.externalId) return denied;
    if (durationSeconds > (trust.maxSessionDurationSeconds ?? 3600)) {
      return validationError(
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    return { role, durationSeconds };
  }
}
