/**
 * The one authentication step of every local service: a SigV4 header of the right shape, and credentials
 * the registry accepts. Each service answers a refusal with its own protocol's fault codes.
 */
import { parseSigV4Authorization } from '#local/wire/sigv4';
import type { CredentialRegistry, Principal } from './credential-registry';

/** Who called, in which region (the signature's scope), or why the call is refused. */
export type Authentication =
  | { readonly ok: true; readonly principal: Principal; readonly region: string }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'expired' | 'invalid-token' };

export function authenticate(
  registry: CredentialRegistry,
  authorization: string | undefined,
  securityToken: string | undefined,
): Authentication {
  if (authorization === undefined) return { ok: false, reason: 'missing' };
  const scope = parseSigV4Authorization(authorization);
  if (!scope) return { ok: false, reason: 'malformed' };
  const resolution = registry.resolve(scope.accessKeyId, securityToken);
  if (resolution.kind !== 'ok') return { ok: false, reason: resolution.kind };
  return { ok: true, principal: resolution.principal, region: scope.region };
}
