import { createHash } from 'node:crypto';
import { PolicyValidationError } from '#lib/errors';

/**
 * ElastiCache's rule for serverless cache and snapshot names (reference/elasticache-api.md): lowercase
 * letters, digits and single hyphens, starting with a letter, no trailing hyphen; 1–255 characters.
 */
export const SNAPSHOT_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const MAX_SNAPSHOT_NAME_LENGTH = 255;

/** `-yyyymmdd-hhmm-` plus the 8-character hash: what every snapshot name adds after its prefix. */
const SUFFIX_LENGTH = '-yyyymmdd-hhmm-'.length + 8;
/** Longest prefix that still leaves room for the suffix. */
export const MAX_NAME_PREFIX_LENGTH = MAX_SNAPSHOT_NAME_LENGTH - SUFFIX_LENGTH;

/** Whether `name` is a valid ElastiCache snapshot (or serverless cache) name. */
export function isValidSnapshotName(name: string): boolean {
  return name.length <= MAX_SNAPSHOT_NAME_LENGTH && SNAPSHOT_NAME_PATTERN.test(name);
}

export type NamePrefixResult = { ok: true; prefix: string } | { ok: false; reason: string };

/**
 * Makes an operator's name prefix usable: lowercased, then shortened to MAX_NAME_PREFIX_LENGTH (without
 * leaving a trailing hyphen). Anything else that breaks the naming rule is refused with a reason rather
 * than silently rewritten, so the operator sees the names they will get.
 */
export function normalizeNamePrefix(raw: string): NamePrefixResult {
  if (raw.length === 0) return { ok: false, reason: 'must not be empty' };
  if (raw.length > MAX_SNAPSHOT_NAME_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_SNAPSHOT_NAME_LENGTH} characters` };
  }
  const lower = raw.toLowerCase();
  const invalid = /[^a-z0-9-]/.exec(lower);
  if (invalid !== null) {
    return {
      ok: false,
      reason: `may contain only letters, digits and hyphens (found ${JSON.stringify(invalid[0])})`,
    };
  }
  if (!/^[a-z]/.test(lower)) return { ok: false, reason: 'must start with a letter' };
  if (lower.includes('--')) return { ok: false, reason: 'must not contain consecutive hyphens' };
  if (lower.endsWith('-')) return { ok: false, reason: 'must not end with a hyphen' };
  return { ok: true, prefix: lower.slice(0, MAX_NAME_PREFIX_LENGTH).replace(/-+$/, '') };
}

function formatSlotUtc(slot: Date): string {
  const iso = slot.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** What a snapshot name is made of: the policy's name prefix, and who took which slot of which cache, for what. */
export interface SnapshotNameParts {
  readonly namePrefix: string;
  /** The deployment's name (the stack name): two deployments never get the same name for a slot. */
  readonly deployment: string;
  readonly policyId: string;
  readonly cacheName: string;
  readonly slot: Date;
  /** The run's kind (lib/runs/types.ts, RunKind); absent or SCHEDULED: not part of the hash. */
  readonly kind?: string;
}

/**
 * 8 hex characters of sha256(deployment, policyId, cacheName, slot ISO[, kind]): what keeps names of
 * different takers apart, and an on-demand snapshot's apart from a scheduled one of the same minute. A
 * SCHEDULED run's hash has no kind, so its name is the one it had before kinds existed.
 */
function hashOf(parts: SnapshotNameParts): string {
  const kind = parts.kind === undefined || parts.kind === 'SCHEDULED' ? [] : [parts.kind];
  const text = [parts.deployment, parts.policyId, parts.cacheName, parts.slot.toISOString(), ...kind].join(
    '\n',
  );
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * The snapshot name of one (deployment, policy, cache, slot, kind): `<prefix>-<yyyymmdd>-<hhmm>-<hash>`, with
 * the slot's date and time in UTC (whatever the policy's time zone) and the first 8 hex characters of a
 * sha256 of the deployment, the policy id, the cache, the slot and the kind when it is not SCHEDULED.
 * Deterministic: a retry of the same slot gets the same name; another deployment (stage) with the same
 * policy id gets another. The prefix is lowercased and shortened as in normalizeNamePrefix; one that cannot
 * be made valid throws a PolicyValidationError naming `namePrefix`.
 */
export function buildSnapshotName(parts: SnapshotNameParts): string {
  const { slot } = parts;
  const year = slot.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999)
    throw new RangeError('a snapshot name needs a slot in years 0-9999');
  const prefix = normalizeNamePrefix(parts.namePrefix);
  if (!prefix.ok) throw new PolicyValidationError([{ attribute: 'namePrefix', message: prefix.reason }]);
  return `${prefix.prefix}-${formatSlotUtc(slot)}-${hashOf(parts)}`;
}
