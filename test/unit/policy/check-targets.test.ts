import { describe, expect, it } from 'vitest';
import { globProblem } from '#lib/policy/check-targets';
import { parsePolicy, validatePolicy } from '#lib/policy/parse-policy';
import { issuesOf } from '#test/support/policy-builders';

const BASE = { policyId: 'gold-tier', schedule: 'cron(0 3 * * ? *)' };
const GOLD = { ...BASE, targets: { tags: { tier: 'gold' } } };

const selector = (targets: unknown) => ({ ...BASE, targets });

describe('a targets policy', () => {
  it('parses with the absent members defaulted and no cacheName or name prefix of its own', () => {
    const policy = parsePolicy(GOLD);

    expect(policy).toEqual({
      policyId: 'gold-tier',
      schedule: 'cron(0 3 * * ? *)',
      timezone: 'UTC',
      enabled: true,
      namePrefix: undefined,
      kmsKeyId: undefined,
      tags: {},
      copyCacheTags: false,
      retention: undefined,
      startWindowMinutes: 60,
      targets: {
        tags: { tier: 'gold' },
        names: undefined,
        engines: undefined,
        excludeTags: {},
        excludeNames: [],
      },
    });
    expect(policy.cacheName).toBeUndefined();
  });

  it('keeps every member of a complete selector, a "*" tag value and an operator name prefix', () => {
    const policy = parsePolicy({
      ...BASE,
      namePrefix: 'Gold',
      targets: {
        tags: { tier: 'gold', team: '*' },
        names: ['orders-*', 'cart-??'],
        engines: ['valkey', 'redis', 'valkey'],
        excludeTags: { env: 'dev' },
        excludeNames: ['*-scratch'],
      },
    });

    expect(policy.namePrefix).toBe('gold');
    expect(policy.targets).toEqual({
      tags: { tier: 'gold', team: '*' },
      names: ['orders-*', 'cart-??'],
      engines: ['valkey', 'redis'],
      excludeTags: { env: 'dev' },
      excludeNames: ['*-scratch'],
    });
  });

  it('accepts names alone, and empty exclusion lists', () => {
    const result = validatePolicy(selector({ names: ['orders'], excludeNames: [], excludeTags: {} }));

    expect(result.ok).toBe(true);
  });
});

describe('exactly one of cacheName and targets', () => {
  it('refuses both with one issue that names both', () => {
    const issues = issuesOf({ ...GOLD, cacheName: 'orders' });

    expect(issues).toEqual([
      {
        attribute: 'cacheName',
        message: 'must not be set together with targets: a policy has exactly one of cacheName and targets',
      },
    ]);
  });

  it('refuses neither with an issue that names both', () => {
    expect(issuesOf(BASE)).toEqual([
      {
        attribute: 'cacheName',
        message: 'is required, or targets instead: a policy has exactly one of cacheName and targets',
      },
    ]);
  });

  it('refuses a broken selector next to a cacheName for both reasons', () => {
    const issues = issuesOf({ ...BASE, cacheName: 'orders', targets: { names: ['Orders'] } });

    expect(issues.map((issue) => issue.attribute)).toEqual(['cacheName', 'targets.names[0]']);
  });
});

describe('targets rules', () => {
  it.each([
    ['not a map', ['orders'], 'targets', 'must be a map such as { tags: { tier: "gold" } } (found a list)'],
    ['neither tags nor names', { engines: ['valkey'] }, 'targets', 'needs tags or names (or both)'],
    ['an unknown member', { names: ['a*'], name: 'orders' }, 'targets.name', 'unknown attribute'],
    ['names not a list', { names: 'orders-*' }, 'targets.names', 'must be a list of globs'],
    ['names a set', { names: new Set(['a*']) }, 'targets.names', '(found a set)'],
    ['names empty', { names: [] }, 'targets.names', 'must list at least one glob'],
    [
      'names of 11 globs',
      { names: Array.from({ length: 11 }, (_, i) => `c${i}`) },
      'targets.names',
      'at most 10 globs are allowed (found 11)',
    ],
    ['a glob not a string', { names: ['a*', 7] }, 'targets.names[1]', 'must be a glob such as "orders-*"'],
    ['a glob with _', { names: ['a*', 'orders_*'] }, 'targets.names[1]', '* and ? (found "_")'],
    ['a glob in uppercase', { names: ['Orders-*'] }, 'targets.names[0]', '(found "O")'],
    ['a glob with a bracket', { names: ['orders-[ab]'] }, 'targets.names[0]', '(found "[")'],
    ['an empty glob', { names: [''] }, 'targets.names[0]', 'must not be empty'],
    ['a glob too long', { names: ['a'.repeat(256)] }, 'targets.names[0]', 'at most 255 characters'],
    ['a glob starting with a digit', { names: ['1*'] }, 'targets.names[0]', 'start with a letter'],
    ['a glob ending with a hyphen', { names: ['orders-'] }, 'targets.names[0]', 'do not end with a hyphen'],
    ['a glob with two hyphens', { names: ['a--*'] }, 'targets.names[0]', 'no two hyphens in a row'],
    ['tags not a map', { tags: ['tier'] }, 'targets.tags', 'must be a map of tag key to value'],
    ['tags empty', { tags: {} }, 'targets.tags', 'must list at least one tag'],
    ['a tag value a number', { tags: { team: 7 } }, 'targets.tags.team', 'must be a string (the value "*"'],
    ['a tag value null', { tags: { team: null } }, 'targets.tags.team', '(found null)'],
    ['a tag value too long', { tags: { team: 'v'.repeat(257) } }, 'targets.tags.team', 'at most 256'],
    [
      'a tag key starting with aws:',
      { tags: { 'aws:x': 'y' } },
      'targets.tags.aws:x',
      'not start with "aws:"',
    ],
    [
      'a managed tag key',
      { tags: { 'managed-by': 'x' } },
      'targets.tags.managed-by',
      'one the orchestrator sets itself',
    ],
    ['an empty tag key', { tags: { '': 'x' } }, 'targets.tags.(empty name)', 'keys must be 1-128 characters'],
    [
      'tags of 11',
      { tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
      'targets.tags',
      'at most 10 tags are allowed (found 11)',
    ],
    ['an unknown engine', { names: ['a*'], engines: ['mysql'] }, 'targets.engines[0]', '(found "mysql")'],
    ['an engine in uppercase', { names: ['a*'], engines: ['Redis'] }, 'targets.engines[0]', 'must be one of'],
    ['engines empty', { names: ['a*'], engines: [] }, 'targets.engines', 'at least one engine'],
    ['engines a string', { names: ['a*'], engines: 'redis' }, 'targets.engines', 'must be a list'],
    ['a broken exclude glob', { names: ['a*'], excludeNames: ['x_y'] }, 'targets.excludeNames[0]', '"_"'],
    [
      'an exclude tag value a list',
      { names: ['a*'], excludeTags: { env: ['dev'] } },
      'targets.excludeTags.env',
      'a list',
    ],
  ])('refuses %s', (_case, targets, attribute, fragment) => {
    const issues = issuesOf(selector(targets));

    expect(issues).toContainEqual({ attribute, message: expect.stringContaining(fragment) });
    expect(issues.every((issue) => issue.attribute.startsWith('targets'))).toBe(true);
  });

  it('reports every broken member, each by its own path', () => {
    const issues = issuesOf(selector({ names: ['ok-*', 'Bad', '-x'], tags: { team: 1, 'aws:a': 'b' } }));

    expect(issues.map((issue) => issue.attribute)).toEqual([
      'targets.tags.team',
      'targets.tags.aws:a',
      'targets.names[1]',
      'targets.names[2]',
    ]);
  });

  it('reports a huge list as one issue, without checking its members one by one', () => {
    const issues = issuesOf(selector({ names: Array.from({ length: 5000 }, () => 7) }));

    expect(issues).toEqual([
      { attribute: 'targets.names', message: 'at most 10 globs are allowed (found 5000)' },
    ]);
  });
});

describe('globProblem', () => {
  it.each(['orders', 'orders-*', '*', '?', '*-eu-?', 'a*b*c', 'c-1', '?1', '*-x'])(
    'accepts %s, which some cache name matches',
    (glob) => {
      expect(globProblem(glob)).toBeUndefined();
    },
  );
});
