/**
 * A local AWS STS endpoint (Query protocol, version 2011-06-15) for `AWS_ENDPOINT_URL_STS`: AssumeRole issues
 * temporary credentials that every local service maps to the assumed role's account (through the shared
 * credential registry) until they expire on the registry's clock; GetCallerIdentity says who is calling.
 */
import { authenticate } from '#local/identity/authenticate';
import type { CredentialRegistry, Principal } from '#local/identity/credential-registry';
import { headerOf, listenService, type ServiceAnswer } from '#local/wire/http-service';
import { encodeQueryError, encodeQuerySuccess, type QueryFault } from '#local/wire/query-envelope';
import { element, textElement } from '#local/wire/xml';
import { type RoleTrust, RoleTrusts, roleIdOf } from './role-trust';

export type { RoleTrust } from './role-trust';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** One STS call, as logged when it was answered. */
export interface StsCall {
  readonly action: string;
  readonly at: Date;
  /** The caller's account; undefined when the call was refused before (no or bad credentials). */
  readonly callerAccountId: string | undefined;
  readonly roleArn: string | undefined;
  readonly roleSessionName: string | undefined;
  readonly externalId: string | undefined;
  readonly durationSeconds: number | undefined;
  /** `ok` or the error code answered. */
  readonly outcome: string;
  /** The access key issued by a successful AssumeRole. */
  readonly accessKeyId: string | undefined;
}

export interface LocalStsOptions {
  /** Maps keys to accounts and issues the temporary ones; its clock sets `Expiration`. */
  readonly credentials: CredentialRegistry;
  /** TCP port on 127.0.0.1; default 0 (a free port). */
  readonly port?: number;
}

/** A running local STS and its controls. */
export interface LocalSts {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_STS`. */
  readonly endpoint: string;
  /** Makes `roleArn` assumable as its trust says (an untrusted role answers AccessDenied, as STS does). */
  trustRole(roleArn: string, trust?: RoleTrust): void;
  /** Forgets a role's trust: AssumeRole on it answers AccessDenied again. */
  untrustRole(roleArn: string): void;
  /** AssumeRole on `roleArn` answers AccessDenied while denied (false lifts it). */
  denyRole(roleArn: string, denied?: boolean): void;
  /** AssumeRole on any role of `accountId` answers AccessDenied while denied (false lifts it). */
  denyAccount(accountId: string, denied?: boolean): void;
  /** Every call answered so far, in order. */
  readonly calls: readonly StsCall[];
  resetCalls(): void;
  stop(): Promise<void>;
}

const AUTH_FAULTS: Readonly<Record<'missing' | 'malformed' | 'expired' | 'invalid-token', QueryFault>> = {
  missing: {
    code: 'MissingAuthenticationToken',
    httpStatus: 403,
    message: 'Request is missing Authentication Token',
    type: 'Sender',
  },
  malformed: {
    code: 'IncompleteSignature',
    httpStatus: 400,
    message: 'Authorization header requires AWS4-HMAC-SHA256 signature.',
    type: 'Sender',
  },
  expired: {
    code: 'ExpiredTokenException',
    httpStatus: 400,
    message: 'The security token included in the request is expired',
    type: 'Sender',
  },
  'invalid-token': {
    code: 'InvalidClientTokenId',
    httpStatus: 403,
    message: 'The security token included in the request is invalid.',
    type: 'Sender',
  },
};

export async function startLocalSts(options: LocalStsOptions): Promise<LocalSts> {
  const { credentials } = options;
  const trusts = new RoleTrusts();
  const calls: StsCall[] = [];

  function assumeRole(
    caller: Principal,
    form: URLSearchParams,
  ): { members: string; call: Partial<StsCall> } | QueryFault {
    const input = {
      roleArn: form.get('RoleArn') ?? undefined,
      roleSessionName: form.get('RoleSessionName') ?? undefined,
      durationSeconds: form.get('DurationSeconds') ?? undefined,
      externalId: form.get('ExternalId') ?? undefined,
    };
    const checked = trusts.check(caller, input);
    if ('code' in checked) return checked;
    const { role, durationSeconds } = checked;
    const session = input.roleSessionName ?? '';
    const arn = `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${session}`;
    const userId = `${roleIdOf(role.arn)}:${session}`;
    const issued = credentials.issue({ accountId: role.accountId, arn, userId, durationSeconds });
    const members =
      element(
        'Credentials',
        textElement('AccessKeyId', issued.accessKeyId),
        textElement('SecretAccessKey', issued.secretAccessKey),
        textElement('SessionToken', issued.sessionToken),
        textElement('Expiration', issued.expiration),
      ) + element('AssumedRoleUser', textElement('AssumedRoleId', userId), textElement('Arn', arn));
    return { members, call: { durationSeconds, accessKeyId: issued.accessKeyId } };
  }

  function answer(
    action: string,
    form: URLSearchParams,
    caller: Principal,
  ): { members: string; call: Partial<StsCall> } | QueryFault {
    switch (action) {
      case 'AssumeRole':
        return assumeRole(caller, form);
      case 'GetCallerIdentity':
        return {
          members:
            textElement('UserId', caller.userId) +
            textElement('Account', caller.accountId) +
            textElement('Arn', caller.arn),
          call: {},
        };
      default:
        return {
          code: 'InvalidAction',
          httpStatus: 400,
          message: `Could not find operation ${action} for version 2011-06-15`,
          type: 'Sender',
        };
    }
  }

  const transport = await listenService(
    'Local STS',
    ({ body, headers, requestId }): ServiceAnswer => {
      const form = new URLSearchParams(body);
      const action = form.get('Action') ?? '';
      const identity = authenticate(
        credentials,
        headers.authorization,
        headerOf(headers, 'x-amz-security-token'),
      );
      const result = identity.ok ? answer(action, form, identity.principal) : AUTH_FAULTS[identity.reason];
      const fault = 'code' in result ? result : undefined;
      calls.push({
        action,
        at: credentials.clock(),
        callerAccountId: identity.ok ? identity.principal.accountId : undefined,
        roleArn: form.get('RoleArn') ?? undefined,
        roleSessionName: form.get('RoleSessionName') ?? undefined,
        externalId: form.get('ExternalId') ?? undefined,
        durationSeconds: undefined,
        accessKeyId: undefined,
        ...('call' in result ? result.call : {}),
        outcome: fault?.code ?? 'ok',
      });
      if (fault) {
        return {
          status: fault.httpStatus,
          contentType: 'text/xml',
          body: encodeQueryError(NAMESPACE, fault, requestId),
        };
      }
      const members = 'members' in result ? result.members : '';
      return {
        status: 200,
        contentType: 'text/xml',
        body: encodeQuerySuccess(NAMESPACE, action, members, requestId),
      };
    },
    options.port,
  );

  return {
    endpoint: transport.endpoint,
    trustRole: (roleArn, trust = {}) => trusts.trust(roleArn, trust),
    untrustRole: (roleArn) => trusts.untrust(roleArn),
    denyRole: (roleArn, denied = true) => trusts.denyRole(roleArn, denied),
    denyAccount: (accountId, denied = true) => trusts.denyAccount(accountId, denied),
    get calls() {
      return calls;
    },
    resetCalls() {
      calls.length = 0;
    },
    stop: () => transport.close(),
  };
}
