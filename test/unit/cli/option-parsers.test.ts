import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseInstant, parseSince } from '#cli/option-parsers';

const NOW = new Date('2026-03-23T12:00:00Z');

describe('parseInstant', () => {
  it.each([
    ['2026-03-23T06:00:00Z', '2026-03-23T06:00:00.000Z'],
    ['2026-03-23T06:00Z', '2026-03-23T06:00:00.000Z'],
    ['2026-03-23T08:00+02:00', '2026-03-23T06:00:00.000Z'],
    ['2026-02-28T23:59:59.999Z', '2026-02-28T23:59:59.999Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseInstant(text).toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30T00:00:00Z', '30 February'],
    ['2027-02-29T00:00:00Z', '29 February of a common year'],
    ['2026-04-31T00:00:00Z', '31 April'],
    ['2026-13-01T00:00:00Z', 'month 13'],
    ['2026-01-01T25:00:00Z', 'hour 25'],
    ['2026-01-01T24:00:00Z', 'hour 24'],
    ['2026-01-01T10:60:00Z', 'minute 60'],
    ['2026-01-01T10:00+25:00', 'offset +25:00'],
  ])('refuses %s (%s), naming what a time must be', (text) => {
    expect(() => parseInstant(text)).toThrow(
      /^no such time: its month, day, hour, minute, second or offset is out of range/,
    );
  });

  it('refuses a time without a zone, naming the forms it takes', () => {
    expect(() => parseInstant('2026-03-23T06:00:00')).toThrow(
      'expected an ISO-8601 time with a zone, e.g. 2026-03-23T06:00:00Z or 2026-03-23T08:00+02:00',
    );
  });
});

describe('parseSince', () => {
  it('reads a duration back from now in minutes, hours or days', () => {
    expect(parseSince('90m', () => NOW).toISOString()).toBe('2026-03-23T10:30:00.000Z');
    expect(parseSince('12h', () => NOW).toISOString()).toBe('2026-03-23T00:00:00.000Z');
    expect(parseSince('7d', () => NOW).toISOString()).toBe('2026-03-16T12:00:00.000Z');
  });

  it('reads an instant, and refuses an impossible one', () => {
    expect(parseSince('2026-03-01T00:00:00Z').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseSince('2026-02-30T00:00:00Z')).toThrow(/^no such time/);
  });

  it.each(['yesterday', '2026-03-23', '12', '5w', ''])('refuses %j, naming both forms it takes', (text) => {
    expect(() => parseSince(text, () => NOW)).toThrow(
      'expected an ISO-8601 time with a zone (2026-03-23T06:00:00Z or 2026-03-23T08:00+02:00) or a duration back from now (90m, 12h, 7d)',
    );
  });

  it('refuses a duration further back than any date', () => {
    expect(() => parseSince('999999999d', () => NOW)).toThrow(InvalidArgumentError);
  });
});
