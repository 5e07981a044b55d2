import { describe, expect, it } from 'vitest';
import { PolicyValidationError } from '#lib/errors';
import { parsePolicy, validatePolicy } from '#lib/policy/parse-policy';
import { issuesOf, policyOf } from '#test/support/policy-builders';

const VALID = { policyId: 'orders-hourly', cacheName: 'orders', schedule: 'cron(0 * * * ? *)' };

describe('parsePolicy', () => {
  it('applies the defaults of every optional attribute', () => {
    const policy = parsePolicy(VALID);

    expect(policy).toEqual({
      policyId: 'orders-hourly',
      cacheName: 'orders',
      schedule: 'cron(0 * * * ? *)',
      timezone: 'UTC',
      enabled: true,
      namePrefix: 'orders',
      kmsKeyId: undefined,
      tags: {},
      copyCacheTags: false,
      retention: undefined,
      startWindowMinutes: 60,
      export: undefined,
      restoreTest: undefined,
    });
  });

  it('keeps every attribute of a complete record', () => {
    const policy = parsePolicy({
      ...VALID,
      schedule: 'cron(30 2 ? * MON-FRI *)',
      timezone: 'Europe/Berlin',
      enabled: false,
      namePrefix: 'Orders-EU',
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd',
      tags: { team: 'payments', empty: '' },
      copyCacheTags: true,
      retention: { maxCount: 14, maxAgeDays: 30, minCount: 3 },
      startWindowMinutes: 120,
    });

    expect(policy).toMatchObject({
      copyCacheTags: true,
      timezone: 'Europe/Berlin',
      enabled: false,
      namePrefix: 'orders-eu',
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd',
      tags: { team: 'payments', empty: '' },
      retention: { maxCount: 14, maxAgeDays: 30, minCount: 3 },
      startWindowMinutes: 120,
    });
  });

  it('keeps tag keys named like Object.prototype members as the tags they are', () => {
    const tags = { constructor: 'c', toString: 't', hasOwnProperty: 'h', valueOf: 'v' };

    const policy = parsePolicy({ ...VALID, tags });

    expect(Object.entries(policy.tags)).toEqual(Object.entries(tags));
  });

  it('defaults minCount to 1 and accepts retention by age alone', () => {
    expect(parsePolicy({ ...VALID, retention: { maxAgeDays: 7 } }).retention).toEqual({
      maxCount: undefined,
      maxAgeDays: 7,
      minCount: 1,
    });
  });

  it('shortens a long cache name into the default name prefix', () => {
    const cacheName = `c${'-a1'.repeat(84)}`;

    const policy = policyOf({ ...VALID, cacheName });

    expect(policy.namePrefix.length).toBeLessThanOrEqual(232);
    expect(policy.namePrefix.endsWith('-')).toBe(false);
    expect(cacheName.startsWith(policy.namePrefix)).toBe(true);
  });

  it('ignores the attributes the orchestrator writes on the item', () => {
    const item = {
      ...VALID,
      state: 'ACTIVE',
      stateReason: 'x',
      nextRunAt: '2026-01-01T00:00:00.000Z',
      specHash: 'abc',
    };

    expect(validatePolicy(item).ok).toBe(true);
  });

  it('throws a PolicyValidationError whose message joins every issue', () => {
    const call = () => parsePolicy({ ...VALID, enabled: 'yes', startWindowMinutes: 0 });

    expect(call).toThrow(PolicyValidationError);
    expect(call).toThrow(
      'enabled: must be true or false (found string); startWindowMinutes: must be at least 1',
    );
  });

  it('returns the policy frozen', () => {
    expect(Object.isFrozen(parsePolicy(VALID))).toBe(true);
  });
});

describe('validatePolicy rules', () => {
  it.each([
    ['policyId missing', { policyId: undefined }, 'policyId', 'is required'],
    ['policyId uppercase', { policyId: 'Orders' }, 'policyId', 'must be 1-63 lowercase letters'],
    [
      'policyId starting with a hyphen',
      { policyId: '-orders' },
      'policyId',
      'starting with a letter or digit',
    ],
    ['policyId of 64 characters', { policyId: 'a'.repeat(64) }, 'policyId', 'must be 1-63'],
    ['policyId a number', { policyId: 7 }, 'policyId', 'must be a string (found number)'],
    ['cacheName missing', { cacheName: undefined }, 'cacheName', 'is required'],
    [
      'cacheName with underscore',
      { cacheName: 'orders_cache' },
      'cacheName',
      'must be a serverless cache name',
    ],
    ['cacheName uppercase', { cacheName: 'Orders' }, 'cacheName', 'must be a serverless cache name'],
    [
      'cacheName ending in a hyphen',
      { cacheName: 'orders-' },
      'cacheName',
      'must be a serverless cache name',
    ],
    ['cacheName too long', { cacheName: 'a'.repeat(256) }, 'cacheName', 'at most 255 characters'],
    ['schedule missing', { schedule: undefined }, 'schedule', 'is required'],
    [
      'schedule not a string',
      { schedule: ['cron(0 * * * ? *)'] },
      'schedule',
      'must be a string (found a list)',
    ],
    [
      'schedule bad syntax',
      { schedule: 'cron(0 * * * * *)' },
      'schedule',
      'one of day-of-month and day-of-week',
    ],
    [
      'schedule every 30 minutes',
      { schedule: 'cron(0,30 * * * ? *)' },
      'schedule',
      'fires every 30 minutes; at most once per hour is allowed',
    ],
    ['schedule */30', { schedule: 'cron(*/30 * * * ? *)' }, 'schedule', 'fires every 30 minutes'],
    ['schedule in minutes', { schedule: 'rate(5 minutes)' }, 'schedule', 'fires every 5 minutes'],
    [
      'schedule that never fires',
      { schedule: 'cron(0 0 30 2 ? *)' },
      'schedule',
      'never fires after 2026-01-01',
    ],
    ['schedule only in the past', { schedule: 'cron(0 0 1 1 ? 2020)' }, 'schedule', 'never fires'],
    ['timezone unknown', { timezone: 'Mars/Olympus' }, 'timezone', 'must be an IANA time zone'],
    ['timezone an offset', { timezone: '+02:00' }, 'timezone', 'must be an IANA time zone'],
    ['timezone null', { timezone: null }, 'timezone', 'must be a string (found null)'],
    ['enabled a string', { enabled: 'true' }, 'enabled', 'must be true or false'],
    ['copyCacheTags a string', { copyCacheTags: 'yes' }, 'copyCacheTags', 'must be true or false'],
    ['copyCacheTags null', { copyCacheTags: null }, 'copyCacheTags', 'must be true or false'],
    [
      'namePrefix with invalid characters',
      { namePrefix: 'orders_eu' },
      'namePrefix',
      'only letters, digits and hyphens (found "_")',
    ],
    ['namePrefix starting with a digit', { namePrefix: '1orders' }, 'namePrefix', 'must start with a letter'],
    ['namePrefix empty', { namePrefix: '' }, 'namePrefix', 'must not be empty'],
    ['namePrefix with a double hyphen', { namePrefix: 'a--b' }, 'namePrefix', 'consecutive hyphens'],
    ['namePrefix a map', { namePrefix: { a: 1 } }, 'namePrefix', 'must be a string (found object)'],
    ['kmsKeyId empty', { kmsKeyId: '' }, 'kmsKeyId', 'must not be empty'],
    ['kmsKeyId too long', { kmsKeyId: 'k'.repeat(2049) }, 'kmsKeyId', 'at most 2048 characters'],
    ['tags a list', { tags: ['a'] }, 'tags', 'must be a map of string to string (found a list)'],
    ['tags a set', { tags: new Set(['a']) }, 'tags', 'found a set'],
    [
      'tags more than 45',
      { tags: Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, 'v'])) },
      'tags',
      'at most 45 tags are allowed (found 46)',
    ],
    [
      'tag key starting with aws:',
      { tags: { 'AWS:owner': 'x' } },
      'tags',
      'must not start with "aws:" ("AWS:owner")',
    ],
    [
      'tag key managed by the orchestrator',
      { tags: { 'managed-by': 'me' } },
      'tags',
      'one the orchestrator sets itself ("managed-by")',
    ],
    ['tag key empty', { tags: { '': 'x' } }, 'tags', 'keys must be 1-128 characters ("")'],
    ['tag key too long', { tags: { ['k'.repeat(129)]: 'x' } }, 'tags', 'keys must be 1-128 characters'],
    ['tag value a number', { tags: { team: 7 } }, 'tags', 'values must be strings ("team")'],
    [
      'tag key __proto__ (the SDK cannot store it)',
      { tags: JSON.parse('{"__proto__": "x"}') },
      'tags',
      'keys must not be __proto__: DynamoDB\'s JavaScript SDK would drop it ("__proto__")',
    ],
    [
      'tag value too long',
      { tags: { team: 'v'.repeat(257) } },
      'tags',
      'values must be at most 256 characters ("team")',
    ],
    ['retention a string', { retention: '7' }, 'retention', 'must be a map'],
    ['retention empty', { retention: {} }, 'retention', 'needs maxCount or maxAgeDays'],
    ['retention minCount only', { retention: { minCount: 2 } }, 'retention', 'needs maxCount or maxAgeDays'],
    ['retention maxCount 0', { retention: { maxCount: 0 } }, 'retention.maxCount', 'must be at least 1'],
    [
      'retention maxCount 1001',
      { retention: { maxCount: 1001 } },
      'retention.maxCount',
      'must be at most 1000',
    ],
    [
      'retention maxCount 1.5',
      { retention: { maxCount: 1.5 } },
      'retention.maxCount',
      'must be a whole number',
    ],
    [
      'retention maxCount a string',
      { retention: { maxCount: '5' } },
      'retention.maxCount',
      'must be a number (found string)',
    ],
    [
      'retention maxAgeDays 3651',
      { retention: { maxAgeDays: 3651 } },
      'retention.maxAgeDays',
      'must be at most 3650',
    ],
    [
      'retention minCount 0',
      { retention: { maxCount: 5, minCount: 0 } },
      'retention.minCount',
      'must be at least 1',
    ],
    [
      'retention minCount above maxCount',
      { retention: { maxCount: 3, minCount: 5 } },
      'retention.minCount',
      'must not be more than maxCount (5 > 3)',
    ],
    ['retention unknown key', { retention: { maxCount: 3, keep: 1 } }, 'retention.keep', 'unknown attribute'],
    ['startWindowMinutes 0', { startWindowMinutes: 0 }, 'startWindowMinutes', 'must be at least 1'],
    ['startWindowMinutes 1441', { startWindowMinutes: 1441 }, 'startWindowMinutes', 'must be at most 1440'],
    ['startWindowMinutes 2.5', { startWindowMinutes: 2.5 }, 'startWindowMinutes', 'whole number of minutes'],
    ['startWindowMinutes NaN', { startWindowMinutes: Number.NaN }, 'startWindowMinutes', 'must be a number'],
    [
      'startWindowMinutes longer than the interval',
      { startWindowMinutes: 61 },
      'startWindowMinutes',
      '61 is longer than the shortest time between runs (60 minutes)',
    ],
    ['an unknown attribute', { owner: 'me' }, 'owner', 'unknown attribute'],
    ['an attribute with an empty name', { '': 1 }, '(empty name)', 'unknown attribute'],
  ])('refuses %s', (_case, patch, attribute, fragment) => {
    const issues = issuesOf({ ...VALID, ...patch });

    expect(issues).toContainEqual({ attribute, message: expect.stringContaining(fragment) });
  });

  it('refuses an hourly schedule that the Lord Howe DST change brings to 30 minutes', () => {
    const issues = issuesOf({ ...VALID, schedule: 'cron(30 * * * ? *)', timezone: 'Australia/Lord_Howe' });

    expect(issues).toEqual([
      {
        attribute: 'schedule',
        message:
          'fires 30 minutes apart at 2026-10-03T15:30:00.000Z (a UTC offset change in Australia/Lord_Howe); at most once per hour is allowed',
      },
    ]);
  });

  it('accepts the same hourly schedule in New York, where DST moves whole hours', () => {
    expect(
      validatePolicy({ ...VALID, schedule: 'cron(30 * * * ? *)', timezone: 'America/New_York' }).ok,
    ).toBe(true);
  });

  it('refuses a start window as long as a day for a daily rate in a DST zone (23-hour days)', () => {
    const daily = { ...VALID, schedule: 'rate(1 day)', timezone: 'Europe/Berlin' };

    expect(issuesOf({ ...daily, startWindowMinutes: 1440 })).toEqual([
      {
        attribute: 'startWindowMinutes',
        message:
          '1440 is longer than the shortest time between runs (1380 minutes); windows of consecutive slots would overlap',
      },
    ]);
    expect(validatePolicy({ ...daily, startWindowMinutes: 1380 }).ok).toBe(true);
  });

  it('lists every broken rule at once, in the order of the attribute table', () => {
    const issues = issuesOf({
      policyId: 'Bad Id',
      cacheName: 'orders',
      schedule: 'cron(0,30 * * * ? *)',
      timezone: 'Nowhere/Land',
      enabled: 1,
      namePrefix: '9x',
      kmsKeyId: '',
      tags: { 'aws:x': 'y' },
      retention: { maxCount: 2, minCount: 3 },
      startWindowMinutes: -1,
      colour: 'blue',
    });

    expect(issues.map((issue) => issue.attribute)).toEqual([
      'policyId',
      'schedule',
      'timezone',
      'enabled',
      'namePrefix',
      'kmsKeyId',
      'tags',
      'retention.minCount',
      'startWindowMinutes',
      'colour',
    ]);
  });

  it('reports a missing record shape instead of crashing', () => {
    expect(validatePolicy(null as unknown as Record<string, unknown>)).toEqual({
      ok: false,
      issues: [{ attribute: 'record', message: 'must be a map (found null)' }],
    });
    expect(issuesOf([] as unknown as Record<string, unknown>)).toEqual([
      { attribute: 'record', message: 'must be a map (found a list)' },
    ]);
  });

  it('refuses an item that is not a plain map, such as a class instance', () => {
    const item = Object.assign(Object.create({ policyId: 'inherited' }) as Record<string, unknown>, VALID);

    expect(issuesOf(item)).toEqual([{ attribute: 'record', message: 'must be a map (found object)' }]);
  });

  it('accepts an item without a prototype', () => {
    const item = Object.assign(Object.create(null) as Record<string, unknown>, VALID);

    expect(validatePolicy(item).ok).toBe(true);
  });
});
