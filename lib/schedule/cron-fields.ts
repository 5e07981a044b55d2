import { shorten } from '#lib/errors';
import { failSchedule } from './fail-schedule';

/** One field of an EventBridge cron expression: its name in messages, its range and its names. */
export interface CronFieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export const CRON_FIELDS = {
  minutes: { label: 'minutes', min: 0, max: 59 },
  hours: { label: 'hours', min: 0, max: 23 },
  dayOfMonth: { label: 'day-of-month', min: 1, max: 31 },
  month: { label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { label: 'day-of-week', min: 1, max: 7, names: DAY_NAMES },
  year: { label: 'year', min: 1970, max: 2199 },
} as const satisfies Record<string, CronFieldSpec>;

/** A single value of the field: a number in range, or (month, day-of-week) a three-letter name. */
export function parseCronValue(text: string, spec: CronFieldSpec): number {
  const nameIndex = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = nameIndex >= 0 ? spec.min + nameIndex : /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value)) failSchedule(`cron ${spec.label}: '${shorten(text)}' is not a value`);
  if (value < spec.min || value > spec.max) {
    failSchedule(`cron ${spec.label}: ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function expandItem(item: string, spec: CronFieldSpec): number[] {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined || range === '')
    failSchedule(`cron ${spec.label}: '${shorten(item)}' is not valid`);
  let stepBy = 1;
  if (step !== undefined) {
    if (!/^\d{1,4}$/.test(step) || Number(step) < 1) {
      failSchedule(`cron ${spec.label}: step '${shorten(step)}' must be a positive number`);
    }
    stepBy = Number(step);
  }
  let low = spec.min;
  let high = spec.max;
  if (range !== '*') {
    const [from = '', to, rest] = range.split('-');
    if (rest !== undefined) failSchedule(`cron ${spec.label}: '${shorten(item)}' is not a range`);
    low = parseCronValue(from, spec);
    high = to === undefined ? (step === undefined ? low : spec.max) : parseCronValue(to, spec);
    if (high < low) failSchedule(`cron ${spec.label}: range '${shorten(range)}' runs backwards`);
  }
  const values: number[] = [];
  for (let value = low; value <= high; value += stepBy) values.push(value);
  return values;
}

/**
 * The values a plain field matches: `*`, `a`, `a-b`, `a/n`, `*\/n`, `a-b/n` and comma lists of them.
 * Throws a PolicyValidationError naming the field on bad syntax or out-of-range values.
 */
export function expandCronField(text: string, spec: CronFieldSpec): number[] {
  if (text === '') failSchedule(`cron ${spec.label}: empty`);
  const values = new Set<number>();
  for (const item of text.split(',')) {
    for (const value of expandItem(item, spec)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}
