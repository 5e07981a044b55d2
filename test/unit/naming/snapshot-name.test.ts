import { describe, expect, it } from 'vitest';
import { PolicyValidationError } from '#lib/errors';
import {
  buildSnapshotName,
  isValidSnapshotName,
  MAX_NAME_PREFIX_LENGTH,
  MAX_SNAPSHOT_NAME_LENGTH,
  normalizeNamePrefix,
  SNAPSHOT_NAME_PATTERN,
  type SnapshotNameParts,
} from '#lib/naming/snapshot-name';

const SLOT = new Date('2026-03-08T07:00:00.000Z');
const DEPLOYMENT = 'cache-snapshot-orchestrator-prod';

/** The name `prefix` gives `policyId`'s slot on cache `orders` in the prod deployment, unless overridden. */
function nameOf(namePrefix: string, policyId: string, slot: Date, extra: Partial<SnapshotNameParts> = {}) {
  return buildSnapshotName({
    namePrefix,
    deployment: DEPLOYMENT,
    policyId,
    cacheName: 'orders',
    slot,
    ...extra,
  });
}

/** A small deterministic generator (mulberry32), so the loops below are repeatable. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(random: () => number, alphabet: string, maxLength: number): string {
  const length = 1 + Math.floor(random() * maxLength);
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

describe('buildSnapshotName', () => {
  it('builds <prefix>-<yyyymmdd>-<hhmm>-<hash> from the slot in UTC', () => {
    const name = nameOf('orders-cache', 'orders-hourly', SLOT);

    expect(name).toMatch(/^orders-cache-20260308-0700-[0-9a-f]{8}$/);
  });

  it('returns the same name for the same deployment, policy, cache and slot, and another when any differs', () => {
    const name = nameOf('orders', 'p1', SLOT);

    expect(nameOf('orders', 'p1', new Date(SLOT.getTime()))).toBe(name);
    expect(nameOf('orders', 'p2', SLOT)).not.toBe(name);
    expect(nameOf('orders', 'p1', new Date('2026-03-08T07:01:00.000Z'))).not.toBe(name);
    expect(nameOf('orders', 'p1', SLOT, { cacheName: 'orders-eu' })).not.toBe(name);
  });

  it('gives two deployments (stages) with the same policy id on one cache different names for a slot', () => {
    const dev = nameOf('orders', 'orders-hourly', SLOT, { deployment: 'cache-snapshot-orchestrator-dev' });
    const qa = nameOf('orders', 'orders-hourly', SLOT, { deployment: 'cache-snapshot-orchestrator-qa' });

    expect(dev).not.toBe(qa);
    expect(dev.slice(0, -8)).toBe(qa.slice(0, -8));
  });

  it('gives an on-demand or restore-test run of a slot another name than its scheduled run, which keeps the name it had before kinds', () => {
    const scheduled = nameOf('orders', 'p1', SLOT, { kind: 'SCHEDULED' });

    expect(nameOf('orders', 'p1', SLOT)).toBe(scheduled);
    expect(scheduled).toBe('orders-20260308-0700-4430d350'); // sha256 of deployment, policy, cache, slot alone
    const onDemand = nameOf('orders', 'p1', SLOT, { kind: 'ON_DEMAND' });
    expect(onDemand).toMatch(/^orders-20260308-0700-[0-9a-f]{8}$/);
    expect(onDemand).not.toBe(scheduled);
    expect(nameOf('orders', 'p1', SLOT, { kind: 'RESTORE_TEST' })).not.toBe(onDemand);
  });

  it('lowercases the prefix', () => {
    expect(nameOf('Orders-Cache', 'p1', SLOT)).toMatch(/^orders-cache-20260308-0700-/);
  });

  it('shortens a long prefix to fit 255 characters without leaving a double hyphen', () => {
    const prefix = `${'a'.repeat(MAX_NAME_PREFIX_LENGTH - 1)}-bbbb`;

    const name = nameOf(prefix, 'p1', SLOT);

    expect(name.length).toBeLessThanOrEqual(MAX_SNAPSHOT_NAME_LENGTH);
    expect(name.startsWith(`${'a'.repeat(MAX_NAME_PREFIX_LENGTH - 1)}-20260308-0700-`)).toBe(true);
    expect(isValidSnapshotName(name)).toBe(true);
  });

  it('refuses a prefix that cannot be made valid, naming namePrefix', () => {
    expect(() => nameOf('9lives', 'p1', SLOT)).toThrow(PolicyValidationError);
    expect(() => nameOf('9lives', 'p1', SLOT)).toThrow(/namePrefix: must start with a letter/);
  });

  it('refuses an invalid slot date', () => {
    expect(() => nameOf('orders', 'p1', new Date(Number.NaN))).toThrow(RangeError);
  });

  it('makes valid, deterministic names for random policy ids, prefixes and slots', () => {
    const random = randomSource(42);
    let built = 0;
    for (let round = 0; round < 500; round += 1) {
      const policyId = randomText(random, 'abcdefghijklmnopqrstuvwxyz0123456789-', 63);
      const words = Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        randomText(random, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 12),
      );
      const prefix = `${randomText(random, 'abcdefghijklmnopqrstuvwxyz', 3)}${words.join('-')}`.slice(0, 255);
      const slot = new Date(Date.UTC(1970, 0, 1) + Math.floor(random() * 7e12));

      const normalized = normalizeNamePrefix(prefix);
      if (!normalized.ok) continue;
      const name = nameOf(prefix, policyId, slot);

      expect(name).toMatch(SNAPSHOT_NAME_PATTERN);
      expect(name.length).toBeLessThanOrEqual(MAX_SNAPSHOT_NAME_LENGTH);
      expect(nameOf(prefix, policyId, slot)).toBe(name);
      built += 1;
    }
    expect(built).toBeGreaterThan(400);
  });
});

describe('normalizeNamePrefix', () => {
  it('lowercases a valid prefix', () => {
    expect(normalizeNamePrefix('Orders-EU-1')).toEqual({ ok: true, prefix: 'orders-eu-1' });
  });

  it.each([
    ['', 'must not be empty'],
    ['1cache', 'must start with a letter'],
    ['-cache', 'must start with a letter'],
    ['orders_cache', 'may contain only letters, digits and hyphens (found "_")'],
    ['orders cache', 'may contain only letters, digits and hyphens (found " ")'],
    ['cafés', 'may contain only letters, digits and hyphens (found "é")'],
    ['orders--cache', 'must not contain consecutive hyphens'],
    ['orders-', 'must not end with a hyphen'],
    ['a'.repeat(256), 'must be at most 255 characters'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(normalizeNamePrefix(raw)).toEqual({ ok: false, reason });
  });

  it('shortens to the longest prefix that leaves room for the slot and hash', () => {
    const result = normalizeNamePrefix('a'.repeat(255));

    expect(result).toEqual({ ok: true, prefix: 'a'.repeat(MAX_NAME_PREFIX_LENGTH) });
  });
});

describe('isValidSnapshotName', () => {
  it.each(['a', 'orders-20260308-0700-1a2b3c4d', 'a1-b2'])('accepts %j', (name) => {
    expect(isValidSnapshotName(name)).toBe(true);
  });

  it.each(['', 'A', '1a', 'a-', 'a--b', 'a_b', 'a'.repeat(256), '2026-03-08T07:00:00.000Z'])(
    'refuses %j',
    (name) => {
      expect(isValidSnapshotName(name)).toBe(false);
    },
  );
});
