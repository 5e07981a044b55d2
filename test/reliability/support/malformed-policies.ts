/**
 * fast-check arbitraries of malformed policy records. Each record is a valid record (on an existing cache)
 * with one to three breakages applied; every breakage on its own breaks a rule of docs/architecture.md
 * ("Policy record"), and a later breakage only ever replaces a broken value with another broken one, so every
 * generated record is invalid by construction. `broken` names the attributes the breakages touched: the
 * INVALID reason must name at least one of them.
 */
import fc from 'fast-check';
import { OPERATOR_ATTRIBUTES, ORCHESTRATOR_ATTRIBUTES } from '#lib/policy/types';

/** A breakage: attributes to set and to remove, the attribute it breaks, and how the policy id looks. */
interface Breakage {
  readonly broken: string | readonly string[];
  readonly set?: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
  /** Turns the unique suffix into a broken policy id. */
  readonly policyId?: (suffix: string) => string;
}

export interface MalformedRecord {
  /** Every attribute but `policyId`. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The policy id, made from a unique suffix (broken or not). */
  readonly policyId: (suffix: string) => string;
  readonly broken: readonly string[];
  /** Short names of the breakages, for the summary. */
  readonly kinds: readonly string[];
}

const KNOWN: ReadonlySet<string> = new Set([...OPERATOR_ATTRIBUTES, ...ORCHESTRATOR_ATTRIBUTES]);
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const NO_NULL_PROTOTYPE = { noNullPrototype: true } as const;
const isPlainObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const lowerWord = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...LOWER.split('')), minLength: min, maxLength: max });
const mapKey = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 });
/** A string whose lowercase holds a character outside a-z, 0-9 and `-` (so no name rule can accept it). */
const unicodeText = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((text) => [...text.toLowerCase()].some((char) => (char.codePointAt(0) ?? 0) > 0x7f));
const anyValue = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(mapKey, fc.string({ maxLength: 10 }), { maxKeys: 3, ...NO_NULL_PROTOTYPE }),
);
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(mapKey, fc.string({ maxLength: 10 }), { maxKeys: 3, ...NO_NULL_PROTOTYPE }),
  fc.constant(new Set(['a', 'b'])),
);

function breakage(
  kind: string,
  arbitrary: fc.Arbitrary<Breakage>,
): fc.Arbitrary<Breakage & { kind: string }> {
  return arbitrary.map((value) => ({ ...value, kind }));
}

const setting = (attribute: string) => (value: unknown) => ({
  broken: attribute,
  set: { [attribute]: value },
});

const wrongType = breakage(
  'wrong type',
  fc.oneof(
    notAString.map(setting('cacheName')),
    notAString.map(setting('schedule')),
    notAString.map(setting('timezone')),
    notAString.map(setting('namePrefix')),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant('')).map(setting('kmsKeyId')),
    fc
      .oneof(fc.constantFrom('true', 'false', 'yes', ''), fc.integer({ min: 0, max: 1 }), fc.constant(null))
      .map(setting('enabled')),
    fc
      .oneof(
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(new Set(['team'])),
        fc.dictionary(mapKey, fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), {
          minKeys: 1,
          maxKeys: 4,
          ...NO_NULL_PROTOTYPE,
        }),
      )
      .map(setting('tags')),
    fc
      .oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.record({ maxCount: fc.oneof(fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null)) }),
      )
      .map(setting('retention')),
    fc
      .oneof(
        fc.string({ maxLength: 5 }),
        fc.boolean(),
        fc.constant(null),
        fc.integer({ min: -1_000_000, max: 0 }),
        fc.integer({ min: 1441, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 1000 }).map((minutes) => minutes + 0.5),
      )
      .map(setting('startWindowMinutes')),
    fc
      .oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(null),
        fc.record({ maxMinutes: fc.integer({ min: 10, max: 60 }) }),
        fc.record({ schedule: fc.constantFrom('rate(1 hour)', 'rate(12 hours)', 'cron(0 */6 * * ? *)') }),
        fc.record({
          schedule: fc.constant('rate(7 days)'),
          maxMinutes: fc.oneof(fc.integer({ max: 9 }), fc.integer({ min: 1441 }), fc.constant('60')),
        }),
        fc.record({
          schedule: fc.constant('rate(7 days)'),
          alarmAfterDays: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 401 }), fc.boolean()),
        }),
      )
      .map(setting('restoreTest')),
  ),
);

/** Missing `cacheName` means neither it nor `targets`: a policy needs exactly one of them. */
const missing = breakage(
  'missing',
  fc.oneof(
    fc.constant({ broken: 'cacheName', remove: ['cacheName', 'targets'] }),
    fc.constant({ broken: 'schedule', remove: ['schedule'] }),
  ),
);

const extraName = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }),
  // Not `__proto__`: the AWS SDK drops an attribute of that name on the way in and out (marshalling).
  fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'State', 'policyID', 'schedule '),
);
const extra = breakage(
  'extra attribute',
  fc
    .uniqueArray(
      extraName.filter((name) => !KNOWN.has(name)),
      { minLength: 1, maxLength: 4 },
    )
    .chain((names) =>
      fc.tuple(fc.constant(names), fc.array(anyValue, { minLength: names.length, maxLength: names.length })),
    )
    .map(([names, values]) => {
      const set: Record<string, unknown> = {};
      names.forEach((name, index) => {
        Object.defineProperty(set, name, {
          value: values[index],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return { broken: names.map((name) => name.slice(0, 64)), set };
    }),
);

const huge = breakage(
  'huge string',
  fc.oneof(
    fc.integer({ min: 256, max: 20_000 }).map((length) => setting('cacheName')('c'.repeat(length))),
    fc.integer({ min: 256, max: 20_000 }).map((length) => setting('namePrefix')('p'.repeat(length))),
    fc.integer({ min: 2049, max: 20_000 }).map((length) => setting('kmsKeyId')('k'.repeat(length))),
    fc.integer({ min: 65, max: 5_000 }).map((length) => setting('timezone')(`Europe/${'B'.repeat(length)}`)),
    fc.integer({ min: 10, max: 20_000 }).map((length) => setting('schedule')('x'.repeat(length))),
    fc.integer({ min: 257, max: 20_000 }).map((length) => setting('tags')({ team: 'v'.repeat(length) })),
    fc.integer({ min: 129, max: 2_000 }).map((length) => setting('tags')({ ['t'.repeat(length)]: 'v' })),
    fc.integer({ min: 64, max: 1_500 }).map((length) => ({
      broken: 'policyId',
      policyId: (suffix: string) => `${'p'.repeat(length)}-${suffix}`,
    })),
  ),
);

const unicode = breakage(
  'unicode',
  fc.oneof(
    unicodeText.map((text) => setting('cacheName')(`cache-${text}`)),
    unicodeText.map((text) => setting('namePrefix')(`snap${text}`)),
    unicodeText.map((text) => setting('timezone')(`Europe/${text}`)),
    unicodeText.map((text) => setting('schedule')(`cron(0 3 * * ? *)${text}`)),
    unicodeText.map((text) => ({ broken: 'policyId', policyId: (suffix: string) => `p${text}-${suffix}` })),
  ),
);

const badCron = breakage(
  'bad cron',
  fc
    .oneof(
      fc
        .array(fc.constantFrom('0', '*', '?', '1-5', 'MON', '*/2', 'L', '3'), { maxLength: 9 })
        .filter((fields) => fields.length !== 6)
        .map((fields) => `cron(${fields.join(' ')})`),
      fc.integer({ min: 60, max: 9999 }).map((minute) => `cron(${minute} 3 * * ? *)`),
      fc.integer({ min: 24, max: 9999 }).map((hour) => `cron(0 ${hour} * * ? *)`),
      fc.integer({ min: 32, max: 9999 }).map((day) => `cron(0 3 ${day} * ? *)`),
      fc
        .oneof(fc.constant(0), fc.integer({ min: 13, max: 9999 }))
        .map((month) => `cron(0 3 ? ${month} MON *)`),
      fc.oneof(fc.constant(0), fc.integer({ min: 8, max: 9999 })).map((day) => `cron(0 3 ? * ${day} *)`),
      fc.integer({ min: 2200, max: 9999 }).map((year) => `cron(0 3 * * ? ${year})`),
      fc.integer({ min: 1970, max: 2025 }).map((year) => `cron(0 3 * * ? ${year})`),
      fc.constantFrom(
        'cron(0 3 * * * *)',
        'cron(0 3 ? * ? *)',
        'cron(0 3 1 * MON *)',
        'cron(0 22-2 * * ? *)',
        'cron(0/0 3 * * ? *)',
        'cron(0 3 * * ? *',
        'cron()',
        'cron(0 3 LW-2 * ? *)',
        'cron(0 3 ? * 2#6 *)',
        'rate(0 hours)',
        'rate(2 hour)',
        'rate(1 hours)',
        'rate(6)',
        'rate(-1 hours)',
        'rate(1.5 hours)',
        'rate(2 weeks)',
        'rate(1000001 days)',
        'at(2026-03-01T00:00:00)',
        '0 3 * * ? *',
        '',
      ),
      fc.string({ maxLength: 60 }).filter((text) => !/^(cron|rate)\(/.test(text.trim())),
    )
    .map(setting('schedule')),
);

const badTimezone = breakage(
  'bad timezone',
  fc
    .oneof(
      fc.constantFrom(
        'Mars/Olympus_Mons',
        'UTC+1',
        '+01:00',
        'Europe/Berlinn',
        'Etc/GMT+25',
        'America/New York',
        '',
      ),
      fc
        .string({ unit: fc.constantFrom(...`${LOWER}_`.split('')), minLength: 1, maxLength: 20 })
        .map((name) => `Nowhere/${name}`),
    )
    .map(setting('timezone')),
);

const tags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key-${i}`, `value-${i}`]));
const badTags = breakage(
  'bad tags',
  fc
    .oneof(
      fc.constantFrom(46, 51, 51, 60).map(tags),
      fc
        .tuple(fc.constantFrom('aws:', 'AWS:', 'Aws:'), lowerWord(0, 20))
        .map(([prefix, rest]) => ({ team: 'a', [`${prefix}${rest}`]: 'x' })),
      fc.constantFrom('managed-by', 'snapshot-policy-id', 'snapshot-slot').map((key) => ({ [key]: 'mine' })),
    )
    .map(setting('tags')),
);

const tooFrequent = breakage(
  'too frequent',
  fc.oneof(
    fc.integer({ min: 2, max: 59 }).map((minutes) => setting('schedule')(`rate(${minutes} minutes)`)),
    fc.integer({ min: 1, max: 59 }).map((step) => setting('schedule')(`cron(0/${step} * * * ? *)`)),
    fc
      .tuple(
        fc.integer({ min: 0, max: 58 }),
        fc.integer({ min: 1, max: 59 }),
        fc.integer({ min: 0, max: 23 }),
      )
      .filter(([a, b]) => a < b)
      .map(([a, b, hour]) => setting('schedule')(`cron(${a},${b} ${hour} * * ? *)`)),
    fc.integer({ min: 0, max: 23 }).map((hour) => setting('schedule')(`cron(* ${hour} * * ? *)`)),
    fc.constant({
      broken: 'schedule',
      set: { schedule: 'cron(30 * * * ? *)', timezone: 'Australia/Lord_Howe' },
    }),
  ),
);

const badNamePrefix = breakage(
  'bad namePrefix',
  fc
    .oneof(
      fc.tuple(fc.integer({ min: 0, max: 9 }), lowerWord(0, 10)).map(([digit, rest]) => `${digit}${rest}`),
      lowerWord(1, 10).map((rest) => `-${rest}`),
      fc
        .tuple(lowerWord(1, 10), fc.constantFrom('_', '.', ' ', '/', '@', ':', '+', '*'), lowerWord(0, 10))
        .map(([a, bad, b]) => `${a}${bad}${b}`),
      fc.tuple(lowerWord(1, 10), lowerWord(1, 10)).map(([a, b]) => `${a}--${b}`),
      lowerWord(1, 10).map((rest) => `${rest}-`),
      fc.constant(''),
    )
    .map(setting('namePrefix')),
);

const overlappingWindow = breakage(
  'window longer than interval',
  fc.oneof(
    fc.integer({ min: 61, max: 1440 }).map((minutes) => ({
      broken: 'startWindowMinutes',
      set: { schedule: 'cron(0 * * * ? *)', startWindowMinutes: minutes },
    })),
    fc.integer({ min: 121, max: 1440 }).map((minutes) => ({
      broken: 'startWindowMinutes',
      set: { schedule: 'rate(2 hours)', startWindowMinutes: minutes },
    })),
  ),
);

const badRetention = breakage(
  'bad retention',
  fc
    .oneof(
      fc
        .oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 1001, max: 100_000 }))
        .map((maxCount) => ({ maxCount })),
      fc
        .oneof(fc.constant(0), fc.integer({ min: 3651, max: 1_000_000 }))
        .map((maxAgeDays) => ({ maxAgeDays })),
      fc
        .integer({ min: 1, max: 999 })
        .chain((maxCount) =>
          fc.integer({ min: maxCount + 1, max: 1000 }).map((minCount) => ({ maxCount, minCount })),
        ),
      fc.constantFrom(
        {},
        { minCount: 2 },
        { maxCount: 3, minCount: 0 },
        { maxCount: 2.5 },
        { maxCount: 3, keep: 1 },
      ),
    )
    .map(setting('retention')),
);

const badPolicyId = breakage(
  'bad policyId',
  fc
    .constantFrom<(suffix: string) => string>(
      (suffix) => `Bad-${suffix}`,
      (suffix) => `bad_${suffix}`,
      (suffix) => `-bad-${suffix}`,
      (suffix) => `bad.${suffix}`,
      (suffix) => `bad ${suffix}`,
    )
    .map((policyId) => ({ broken: 'policyId', policyId })),
);

/**
 * A broken `targets` selector in place of `cacheName`. Lists and maps stay under 64 members and map keys
 * non-empty: sync's conditional write compares bigger ones whole, which dynalite (unlike DynamoDB) always
 * refuses (lib/adapters/dynamodb/operator-condition.ts); the unit tests cover the huge ones.
 */
const selecting = (targets: unknown) => ({ broken: 'targets', remove: ['cacheName'], set: { targets } });
const badGlob = fc.oneof(
  fc
    .tuple(
      lowerWord(1, 8),
      fc.constantFrom('_', '.', ' ', '/', 'A', '[', '{', '!', '\\', 'é'),
      lowerWord(0, 8),
    )
    .map(([a, bad, b]) => `${a}${bad}${b}`),
  fc.tuple(fc.integer({ min: 0, max: 9 }), lowerWord(0, 6)).map(([digit, rest]) => `${digit}${rest}*`),
  lowerWord(1, 8).map((word) => `-${word}`),
  lowerWord(1, 8).map((word) => `${word}-`),
  lowerWord(1, 8).map((word) => `${word}--*`),
  fc.integer({ min: 256, max: 5_000 }).map((length) => 'g'.repeat(length)),
  fc.constant(''),
  notAString,
);
const badTagMap = fc.oneof(
  fc.constant({}),
  fc.dictionary(
    lowerWord(1, 8),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant(['x'])),
    {
      minKeys: 1,
      maxKeys: 3,
      ...NO_NULL_PROTOTYPE,
    },
  ),
  fc
    .tuple(fc.constantFrom('aws:', 'AWS:'), lowerWord(0, 10))
    .map(([prefix, rest]) => ({ [`${prefix}${rest}`]: '*' })),
  fc.constantFrom('managed-by', 'snapshot-policy-id').map((key) => ({ [key]: 'x' })),
  fc.integer({ min: 11, max: 60 }).map(tags),
  fc.integer({ min: 257, max: 5_000 }).map((length) => ({ team: 'v'.repeat(length) })),
  fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.integer(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  ),
);
const badSelector = breakage(
  'bad selector',
  fc
    .oneof(
      fc.array(badGlob, { minLength: 1, maxLength: 3 }).map((names) => ({ names })),
      fc
        .array(badGlob, { minLength: 1, maxLength: 3 })
        .map((excludeNames) => ({ names: ['a*'], excludeNames })),
      badTagMap.map((tagMap) => ({ tags: tagMap })),
      badTagMap
        .filter((tagMap) => !(isPlainObject(tagMap) && Object.keys(tagMap).length === 0))
        .map((excludeTags) => ({ names: ['a*'], excludeTags })),
      fc
        .oneof(fc.constant([]), fc.constant(['mysql']), fc.constant(['Redis']), fc.constant('valkey'))
        .map((engines) => ({ names: ['a*'], engines })),
      fc.constantFrom(
        { engines: ['valkey'] },
        { excludeNames: ['a*'] },
        { excludeTags: { env: 'dev' } },
        {},
        { names: [] },
        { names: ['a*'], exclude: ['b*'] },
        { tags: { tier: 'gold' }, Names: ['a*'] },
      ),
      fc.integer({ min: 11, max: 60 }).map((count) => ({ names: Array.from({ length: count }, () => 'a*') })),
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(null),
        fc.constant(['a*']),
        fc.constant(new Set(['a*'])),
      ),
    )
    .map(selecting),
);

/** Both `cacheName` and a valid `targets`: never valid together, whatever was broken before. */
const bothCacheNameAndTargets = breakage(
  'cacheName and targets',
  fc.constant({
    broken: ['cacheName', 'targets'],
    set: { cacheName: 'orders-both', targets: { tags: { tier: 'gold' } } },
  }),
);

const anyBreakage = fc.oneof(
  wrongType,
  missing,
  extra,
  huge,
  unicode,
  badCron,
  badTimezone,
  badTags,
  tooFrequent,
  badNamePrefix,
  overlappingWindow,
  badRetention,
  badPolicyId,
  badSelector,
  bothCacheNameAndTargets,
);

/** A valid record on one of `cacheNames`: daily at a random time, in one of a few zones, maybe with extras. */
function validBase(cacheNames: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      cacheName: fc.constantFrom(...cacheNames),
      minute: fc.integer({ min: 0, max: 59 }),
      hour: fc.integer({ min: 0, max: 23 }),
      timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'),
      tags: fc.option(fc.constant({ team: 'platform' }), { nil: undefined }),
      retention: fc.option(fc.constant({ maxCount: 7 }), { nil: undefined }),
    })
    .map(({ minute, hour, ...rest }) => {
      const record: Record<string, unknown> = { ...rest, schedule: `cron(${minute} ${hour} * * ? *)` };
      for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
      return record;
    });
}

/** Applies breakages in order to `base`; `base` is a valid record. */
function applyBreakages(
  base: Record<string, unknown>,
  breakages: readonly (Breakage & { kind: string })[],
): MalformedRecord {
  const attributes: Record<string, unknown> = { ...base };
  let policyId = (suffix: string) => `bad-${suffix}`;
  for (const each of breakages) {
    for (const name of each.remove ?? []) delete attributes[name];
    for (const [name, value] of Object.entries(each.set ?? {})) {
      Object.defineProperty(attributes, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (each.policyId) policyId = each.policyId;
  }
  return {
    attributes,
    policyId,
    broken: breakages.flatMap((each) => each.broken),
    kinds: breakages.map((each) => each.kind),
  };
}

/** Malformed records on the given (existing) caches: a valid base with one to three breakages. */
export function malformedRecords(cacheNames: readonly string[]): fc.Arbitrary<MalformedRecord> {
  return fc
    .tuple(validBase(cacheNames), fc.array(anyBreakage, { minLength: 1, maxLength: 3 }))
    .map(([base, breakages]) => applyBreakages(base, breakages));
}

/** The record as an item with its policy id (from `suffix`, unique per record). */
export function toItem(
  record: MalformedRecord,
  suffix: string,
): Record<string, unknown> & { policyId: string } {
  const item = { policyId: record.policyId(suffix) };
  for (const [name, value] of Object.entries(record.attributes)) {
    Object.defineProperty(item, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return item;
}
