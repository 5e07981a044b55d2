/**
 * Which account a request's credentials belong to, for every local service at once: long-term keys map to
 * an account (any key nobody registered maps to the default account, so dummy credentials keep working),
 * and the temporary keys the local STS issues map to the account of the role assumed, until they expire.
 */
import { randomBytes } from 'node:crypto';

/** Who made a request: the account, and the ARN and id the caller would see in GetCallerIdentity. */
export interface Principal {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
}

/** Temporary credentials as AssumeRole returns them. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** A session to issue credentials for: the assumed role's account and the session's principal. */
export interface SessionGrant {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
  readonly durationSeconds: number;
}

/** What a key resolves to: its principal, or why it is refused. */
export type KeyResolution =
  | { readonly kind: 'ok'; readonly principal: Principal }
  | { readonly kind: 'expired' }
  | { readonly kind: 'invalid-token' };

interface Session {
  readonly principal: Principal;
  readonly sessionToken: string;
  readonly expiration: Date;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyPart(length: number): string {
  return Array.from(randomBytes(length), (byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}

export class CredentialRegistry {
  private readonly longTerm = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();

  /**
   * @param defaultAccountId the account of every key not registered or issued here.
   * @param clock the identity service's time: `Expiration` of issued keys and their expiry checks.
   */
  constructor(
    readonly defaultAccountId: string,
    readonly clock: () => Date = () => new Date(),
  ) {}

  /** Makes a long-term access key belong to `accountId` (as an IAM user's key would). */
  addLongTermKey(accessKeyId: string, accountId: string): void {
    this.longTerm.set(accessKeyId, accountId);
  }

  /** Issues temporary credentials (`ASIA…` keys, as STS's) for a session, expiring on the clock. */
  issue(grant: SessionGrant): IssuedCredentials {
    const accessKeyId = `ASIA${randomKeyPart(16)}`;
    const sessionToken = randomBytes(96).toString('base64');
    const expiration = new Date(this.clock().getTime() + grant.durationSeconds * 1000);
    expiration.setMilliseconds(0);
    const principal = { accountId: grant.accountId, arn: grant.arn, userId: grant.userId };
    this.sessions.set(accessKeyId, { principal, sessionToken, expiration });
    return { accessKeyId, secretAccessKey: randomBytes(30).toString('base64'), sessionToken, expiration };
  }

  /** The principal of `accessKeyId`; an issued key needs its own session token and an unexpired session. */
  resolve(accessKeyId: string, sessionToken: string | undefined): KeyResolution {
    const session = this.sessions.get(accessKeyId);
    if (session) {
      if (sessionToken !== session.sessionToken) return { kind: 'invalid-token' };
      if (this.clock() >= session.expiration) return { kind: 'expired' };
      return { kind: 'ok', principal: session.principal };
    }
    const accountId = this.longTerm.get(accessKeyId) ?? this.defaultAccountId;
    return {
      kind: 'ok',
      principal: { accountId, arn: `arn:aws:iam::${accountId}:user/local`, userId: `AIDA${accessKeyId}` },
    };
  }
}
