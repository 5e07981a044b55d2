import { describe, expect, it } from 'vitest';
import { parsePolicy, validatePolicy } from '#lib/policy/parse-policy';

const VALID = { policyId: 'orders-hourly', cacheName: 'orders', schedule: 'cron(0 * * * ? *)' };

function issuesOf(exportMap: unknown) {
  const result = validatePolicy({ ...VALID, export: exportMap });
  if (result.ok) throw new Error('expected the record to be refused');
  return result.issues;
}

describe('the export attribute', () => {
  it('is absent unless written', () => {
    expect(parsePolicy(VALID).export).toBeUndefined();
  });

  it('exports every snapshot, without retention or a replica, when only the bucket is given', () => {
    expect(parsePolicy({ ...VALID, export: { bucket: 'orders-exports' } }).export).toEqual({
      bucket: 'orders-exports',
      every: 1,
      retention: undefined,
      replicateTo: undefined,
    });
  });

  it('keeps every member of a complete map, with the retention defaults', () => {
    const policy = parsePolicy({
      ...VALID,
      export: {
        bucket: 'orders.exports-2026',
        every: 24,
        retention: { maxAgeDays: 400 },
        replicateTo: { bucket: 'orders-dr', region: 'eu-central-1' },
      },
    });

    expect(policy.export).toEqual({
      bucket: 'orders.exports-2026',
      every: 24,
      retention: { maxCount: undefined, maxAgeDays: 400, minCount: 1 },
      replicateTo: { bucket: 'orders-dr', region: 'eu-central-1' },
    });
  });

  it.each(['us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'il-central-1', 'us-isob-east-1'])(
    'accepts the region code %s',
    (region) => {
      const exportMap = { bucket: 'orders-exports', replicateTo: { bucket: 'orders-dr', region } };

      expect(parsePolicy({ ...VALID, export: exportMap }).export?.replicateTo?.region).toBe(region);
    },
  );

  it.each([
    ['not a map', 'orders-exports', 'export', 'must be a map'],
    ['without a bucket', { every: 2 }, 'export.bucket', 'is required'],
    ['a bucket that is not a string', { bucket: 7 }, 'export.bucket', 'must be a string (found number)'],
    ['a bucket of 2 characters', { bucket: 'ab' }, 'export.bucket', 'must be 3 to 63 characters long'],
    ['a bucket of 64 characters', { bucket: 'a'.repeat(64) }, 'export.bucket', 'must be 3 to 63'],
    ['a bucket with capitals', { bucket: 'Orders' }, 'export.bucket', 'only lowercase letters, digits'],
    ['a bucket with an underscore', { bucket: 'orders_x' }, 'export.bucket', 'only lowercase letters'],
    ['a bucket ending with a hyphen', { bucket: 'orders-' }, 'export.bucket', 'begin and end with a letter'],
    ['a bucket with two periods', { bucket: 'orders..x' }, 'export.bucket', 'each part between periods'],
    ['a bucket with a hyphen at a period', { bucket: 'orders-.x' }, 'export.bucket', 'each part between'],
    ['a bucket shaped as an IP address', { bucket: '192.168.5.4' }, 'export.bucket', 'an IP address'],
    ['a bucket with a reserved prefix', { bucket: 'xn--orders' }, 'export.bucket', 'prefix S3 reserves'],
    ['a bucket with a reserved suffix', { bucket: 'orders-s3alias' }, 'export.bucket', 'suffix S3 reserves'],
    ['every 0', { bucket: 'orders-x', every: 0 }, 'export.every', 'must be at least 1'],
    ['every 1.5', { bucket: 'orders-x', every: 1.5 }, 'export.every', 'must be a whole number of snapshots'],
    ['every above a year of hours', { bucket: 'orders-x', every: 8785 }, 'export.every', 'at most 8784'],
    ['retention empty', { bucket: 'orders-x', retention: {} }, 'export.retention', 'needs maxCount'],
    [
      'retention maxAgeDays 3651',
      { bucket: 'orders-x', retention: { maxAgeDays: 3651 } },
      'export.retention.maxAgeDays',
      'must be at most 3650',
    ],
    [
      'retention minCount above maxCount',
      { bucket: 'orders-x', retention: { maxCount: 2, minCount: 3 } },
      'export.retention.minCount',
      'must not be more than maxCount (3 > 2)',
    ],
    [
      'replicateTo not a map',
      { bucket: 'orders-x', replicateTo: 'orders-dr' },
      'export.replicateTo',
      'must be a map',
    ],
    [
      'replicateTo without a bucket',
      { bucket: 'orders-x', replicateTo: { region: 'eu-west-1' } },
      'export.replicateTo.bucket',
      'is required',
    ],
    [
      'replicateTo without a region',
      { bucket: 'orders-x', replicateTo: { bucket: 'orders-dr' } },
      'export.replicateTo.region',
      'is required',
    ],
    [
      'replicateTo with a bad bucket name',
      { bucket: 'orders-x', replicateTo: { bucket: 'Orders-DR', region: 'eu-west-1' } },
      'export.replicateTo.bucket',
      'only lowercase letters',
    ],
    [
      'replicateTo to the export bucket',
      { bucket: 'orders-x', replicateTo: { bucket: 'orders-x', region: 'eu-west-1' } },
      'export.replicateTo.bucket',
      'must be another bucket than export.bucket ("orders-x")',
    ],
    [
      'replicateTo a region name instead of a code',
      { bucket: 'orders-x', replicateTo: { bucket: 'orders-dr', region: 'Europe (Ireland)' } },
      'export.replicateTo.region',
      "must be an AWS Region code such as 'eu-west-1'",
    ],
    [
      'replicateTo an availability zone',
      { bucket: 'orders-x', replicateTo: { bucket: 'orders-dr', region: 'eu-west-1a' } },
      'export.replicateTo.region',
      'must be an AWS Region code',
    ],
    [
      'replicateTo an unknown member',
      { bucket: 'orders-x', replicateTo: { bucket: 'orders-dr', region: 'eu-west-1', account: '1' } },
      'export.replicateTo.account',
      'unknown attribute',
    ],
    ['an unknown member', { bucket: 'orders-x', prefix: 'x/' }, 'export.prefix', 'unknown attribute'],
  ])('refuses %s, naming the member', (_case, exportMap, attribute, fragment) => {
    expect(issuesOf(exportMap)).toContainEqual({ attribute, message: expect.stringContaining(fragment) });
  });

  it('reports every broken member of the map at once', () => {
    const issues = issuesOf({ every: 0, replicateTo: { bucket: 'Orders' } });

    expect(issues.map((issue) => issue.attribute).sort()).toEqual([
      'export.bucket',
      'export.every',
      'export.replicateTo.bucket',
      'export.replicateTo.region',
    ]);
  });

  it('lists its issues after those of the attributes before it', () => {
    const result = validatePolicy({ ...VALID, timezone: 'Mars/Olympus', export: { bucket: 'x' } });

    expect(result.ok ? [] : result.issues.map((issue) => issue.attribute)).toEqual([
      'timezone',
      'export.bucket',
    ]);
  });
});
